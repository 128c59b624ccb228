import { renderToString } from 'preact-render-to-string';
import type { VNode } from 'preact';

export function renderDocument(vnode: VNode): string {
  return `<!doctype html>${renderToString(vnode)}`;
}
