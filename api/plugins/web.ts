// §10: the workbench — the web application built by Vite into web/dist — served at / beside the API.
// Hashed assets (web/dist/assets/*) are kept by browsers for a year; index.html and the other files
// are checked every time (no-cache), so a new build is seen at the next load. The application's own
// addresses (/tasks, /projects/…) answer index.html: the browser's router shows the page.
import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PROJECT_ROOT } from '../../runtime/config';

/** Where `npm run build:web` writes the workbench. */
export const WEB_DIST = path.join(PROJECT_ROOT, 'web', 'dist');

/** The built workbench's folder, or null when it has not been built (the API then serves only itself). */
export function builtWeb(root = WEB_DIST): string | null {
  return fs.existsSync(path.join(root, 'index.html')) ? root : null;
}

/** Addresses that belong to the service, never to the web application. */
const SERVICE_PATH = /^\/(api|docs|healthz|readyz)(\/|$)/;

export async function registerWeb(app: FastifyInstance, root: string) {
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    wildcard: false, // one route per built file: anything else falls to the not-found handler below
    index: false,
    preCompressed: true, // the .br / .gz written beside each asset at build time (web/vite.config.mts)
    cacheControl: false,
    setHeaders(res, file) {
      const hashed = file.startsWith(path.join(root, 'assets') + path.sep);
      res.setHeader('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
}

/** The not-found handler's first question: is this a page of the web application? Then it answers index.html. */
export function spaFallback(root: string | null) {
  return (req: FastifyRequest, reply: FastifyReply): boolean => {
    if (!root || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
    const urlPath = req.url.split('?')[0];
    if (SERVICE_PATH.test(urlPath) || /\.[a-z0-9]+$/i.test(urlPath)) return false; // a missing file stays 404
    reply.header('cache-control', 'no-cache');
    void reply.type('text/html; charset=utf-8').sendFile('index.html', root);
    return true;
  };
}
