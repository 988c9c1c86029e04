#!/usr/bin/env node
// Process entry of the `kuberack` binary: wires the real stdout, stderr and file system to run().
import { readFileSync } from 'node:fs';
import { main } from './main.js';

// `npm start` with no arguments runs the server; `npm start -- <command>` runs that command.
const args = process.argv.slice(2);
if (args.length === 0 && process.env.npm_lifecycle_event === 'start') args.push('serve');

process.exitCode = await main(args, {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  readFile: (path) => readFileSync(path === '-' ? 0 : path, 'utf8'),
});
