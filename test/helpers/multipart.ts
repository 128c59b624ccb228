/** A multipart body as a browser sends it: text fields (a repeated field as an array) and at most one file. */
export function multipart(
  fields: Record<string, string | string[]>,
  file?: { name: string; type: string; data: Buffer; filename?: string },
) {
  const boundary = `----convene${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [k, vs] of Object.entries(fields))
    for (const v of [vs].flat())
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file)
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.name}"; filename="${file.filename ?? 'logo'}"\r\nContent-Type: ${file.type}\r\n\r\n`,
      ),
      file.data,
      Buffer.from('\r\n'),
    );
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
