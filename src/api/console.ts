// Serves the built web console (web/dist) under /console/: hashed assets cached for a year, index.html
// for every other console path (client-side routes), gzip when the browser takes it, strict headers.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import { HttpError, type Reply, type Request, type Router } from './http.js';

export const CONSOLE_BASE = '/console/';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** antd writes its styles at run time, hence inline styles; scripts only from this origin. */
const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
};

interface File {
  readonly bytes: Buffer;
  gzip?: Buffer;
}

/** The console's files, read once and kept (they change only with a new build and a restart). */
class ConsoleFiles {
  private readonly cache = new Map<string, File | null>();

  constructor(private readonly root: string) {}

  /** Read once like every file: a console built after start-up needs a restart, as the 503 says. */
  get built(): boolean {
    return this.file('index.html') !== null;
  }

  file(relative: string): File | null {
    const hit = this.cache.get(relative);
    if (hit !== undefined) return hit;
    const full = normalize(join(this.root, relative));
    let file: File | null = null;
    if (full.startsWith(this.root + sep) && existsSync(full) && statSync(full).isFile())
      file = { bytes: readFileSync(full) };
    this.cache.set(relative, file);
    return file;
  }
}

function accepts(req: Request, encoding: string): boolean {
  return String(req.headers['accept-encoding'] ?? '')
    .split(',')
    .some((e) => e.trim().split(';')[0] === encoding);
}

function serve(req: Request, files: ConsoleFiles, relative: string, immutable: boolean): Reply {
  const file = files.file(relative);
  if (!file) throw new HttpError(404, 'API_NOT_FOUND', { path: req.path });
  const type = TYPES[extname(relative)] ?? 'application/octet-stream';
  const headers: Record<string, string> = {
    ...SECURITY_HEADERS,
    'content-type': type,
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    vary: 'accept-encoding',
  };
  const compressible = /^(text\/|application\/json|image\/svg)/.test(type) && file.bytes.length > 1024;
  if (compressible && accepts(req, 'gzip')) {
    file.gzip ??= gzipSync(file.bytes, { level: 9 });
    return { status: 200, headers: { ...headers, 'content-encoding': 'gzip' }, raw: file.gzip };
  }
  return { status: 200, headers, raw: file.bytes };
}

/** `root` is the console's build output (web/dist); until it is built, console paths say how to build it. */
export function consoleRoutes(router: Router, root: string): void {
  const files = new ConsoleFiles(normalize(root));
  const page = (req: Request, rest: string): Promise<Reply> => {
    if (!files.built) throw new HttpError(503, 'API_CONSOLE_NOT_BUILT', { command: 'npm run build' });
    // Vite puts content-hashed files under assets/; any other path is a client-side route.
    if (rest.startsWith('assets/')) return Promise.resolve(serve(req, files, rest, true));
    if (rest !== '' && files.file(rest)) return Promise.resolve(serve(req, files, rest, false));
    return Promise.resolve(serve(req, files, 'index.html', false));
  };
  router
    .on('GET', '/', () => Promise.resolve({ status: 302, headers: { location: CONSOLE_BASE } }))
    .on('GET', '/console', () => Promise.resolve({ status: 301, headers: { location: CONSOLE_BASE } }))
    .on('GET', '/console/{*rest}', (req) => page(req, req.params.rest ?? ''));
}
