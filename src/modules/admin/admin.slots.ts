/**
 * What other modules give the secretariat's desk, through their descriptor's `contributes` (the admin module never
 * imports their services): today's figures on the admin home, and sections of a person's page.
 */
import type { FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import type { Ctx } from '../../platform/context.js';
import type { Localized } from '../../platform/i18n/localized.js';
import type { Permission } from '../../platform/permissions.js';
import type { View } from '../../platform/ui/page.js';

/** One figure on the admin home: a count, and the worklist it opens. */
export type AdminFigure = {
  /** `secretariat.figures.<key>` is its label, unless `label` is given (an event's name). */
  key: string;
  label?: Localized;
  count: number;
  /** The worklist, a path without the locale (`/secretariat/registration?state=pending_secretariat`). */
  href: string;
  /** Shown only to those who may open the worklist. */
  permission: Permission;
};

/** A group of figures (`secretariat.groups.<group>` is its heading). */
export type AdminFigureGroup = { group: string; figures: AdminFigure[] };

/** A module's figures for today (`ctx.now`, Geneva days). */
export type AdminFigures = (ctx: Ctx) => Promise<AdminFigureGroup[]>;

/** A section of a person's page in the back office (their registrations, badge, scans, speaking requests). */
export type AdminPersonSection = (v: View, req: FastifyRequest, personId: string) => Promise<VNode | null>;

declare module '../../platform/module.js' {
  interface ContributionSlots {
    /** Figures on the secretariat's home, in the order of the module list. */
    adminFigures: AdminFigures;
    /** Sections of a person's page in the back office, in the order of the module list. */
    adminPerson: AdminPersonSection;
  }
}
