// Adds lock entries for the platform packages of opencode-ai that a registry did not serve when the
// lock was written (a mirror with one platform's binaries, say), so `npm ci` finds every optional
// dependency in the lock on any platform. Run it after `npm install` rewrote the lock:
// node build/lock-platforms.js
import fs from 'node:fs';
const file = process.argv[2] ?? 'package-lock.json';
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
const parent = lock.packages['node_modules/opencode-ai'];
const osOf = { darwin: 'darwin', linux: 'linux', windows: 'win32' };
let added = 0;
for (const [name, version] of Object.entries(parent.optionalDependencies)) {
  const key = `node_modules/${name}`;
  if (lock.packages[key]) continue;
  const [, os, cpu] = /^opencode-(darwin|linux|windows)-(x64|arm64)/.exec(name);
  const entry = { version, cpu: [cpu], optional: true, os: [osOf[os]] };
  if (parent.dev) entry.dev = true;
  lock.packages[key] = entry;
  added++;
}
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0)));
fs.writeFileSync(file, JSON.stringify(lock, null, 2) + '\n');
console.log(`added ${added}`);
