// Static checks of docker-compose.yml (no Docker engine here): read as text, no YAML parser.
import fs from 'node:fs';
import path from 'node:path';
import { describe, it, expect } from 'vitest';

const compose = fs.readFileSync(path.join(__dirname, '..', 'docker-compose.yml'), 'utf8');

// Service names: the keys indented by exactly two spaces under the top-level `services:`.
function serviceNames(text: string): string[] {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line === 'services:');
  const names: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^\S/.test(line)) break; // next top-level key
    const m = /^ {2}([A-Za-z0-9_.-]+):\s*$/.exec(line);
    if (m) names.push(m[1]);
  }
  return names;
}

const SEARCH_ATTRIBUTES: Array<[string, string]> = [
  ['ProjectStage', 'Keyword'],
  ['LandingSite', 'Keyword'],
  ['ResponsibleUnit', 'Keyword'],
  ['IndustryChain', 'Keyword'],
  ['IsMajor', 'Bool'],
  ['IsCaseByCase', 'Bool'],
  ['EscalationLevel', 'Int'],
  ['PlannedInvestmentWan', 'Double'],
];

describe('docker-compose.yml', () => {
  it('defines the production services', () => {
    expect(serviceNames(compose).sort()).toEqual(
      ['api', 'migrate', 'postgresql', 'temporal', 'temporal-admin-tools', 'temporal-ui', 'worker'].sort(),
    );
  });

  it('registers every custom search attribute with its type', () => {
    for (const [name, type] of SEARCH_ATTRIBUTES) {
      expect(compose, name).toMatch(new RegExp(`\\badd ${name} ${type}\\b`));
    }
  });

  it('pins every image tag', () => {
    const images = [...compose.matchAll(/^\s*image:\s*(\S+)\s*$/gm)].map((m) => m[1]);
    expect(images.length).toBeGreaterThanOrEqual(5);
    for (const image of images) {
      expect(image, image).toMatch(/^[^:\s]+:[^:\s]+$/);
      expect(image, image).not.toMatch(/:latest$/);
    }
    expect(compose).not.toMatch(/:latest\b/);
  });

  it('requires JWT_SECRET and gates worker and api on the one-shot jobs', () => {
    expect(compose).toContain('${JWT_SECRET:?set JWT_SECRET}');
    expect(compose.match(/condition: service_completed_successfully/g)?.length).toBe(4);
  });
});
