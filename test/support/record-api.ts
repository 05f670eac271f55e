// Reads a patient's whole visible record through the paged JSON API, as a client would.
import type { FastifyInstance } from 'fastify';

export type ApiEntry = {
  id: string;
  heading: string;
  title: string;
  text: string | null;
  consultation_id: string | null;
  [k: string]: unknown;
};
export type ApiRecord = {
  status: number;
  access: { level: string } | null;
  sections: { heading: string; entries: ApiEntry[] }[];
  body: string;
};

export async function recordViaApi(app: FastifyInstance, token: string): Promise<ApiRecord> {
  const get = (url: string) =>
    app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
  const first = await get('/api/v1/record');
  if (first.statusCode !== 200)
    return { status: first.statusCode, access: null, sections: [], body: first.body };
  const summary = first.json<{ access: { level: string }; sections: { heading: string; href: string }[] }>();
  let body = first.body;
  const sections: ApiRecord['sections'] = [];
  for (const s of summary.sections) {
    const entries: ApiEntry[] = [];
    for (let url: string | null = s.href; url;) {
      const res = await get(url);
      if (res.statusCode !== 200) throw new Error(`${url} answered ${String(res.statusCode)}`);
      body += res.body;
      const page = res.json<{ next: string | null; entries: ApiEntry[] }>();
      entries.push(...page.entries);
      url = page.next;
    }
    if (entries.length) sections.push({ heading: s.heading, entries });
  }
  return { status: 200, access: summary.access, sections, body };
}
