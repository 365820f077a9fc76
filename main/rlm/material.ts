import type { Message } from '@a2a-js/sdk';
import { createReadStream } from 'node:fs';
import { open, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, sep } from 'node:path';
import { glob } from 'tinyglobby';
import type { CodebaseRepository } from '../store/codebase-repository';
import { resolveCodebase, type Outcome } from '../workers/workspace/codebases';
import type { MaterialDoc } from './sandbox/sandbox';

/** Pieces the material goes into the sandbox in. */
const PIECE = 1024 * 1024;
/** Bytes read to tell a text file from a binary one. */
const SNIFF = 8192;
/** Files one run may load. */
const MAX_FILES = 50_000;
/** Folders never loaded from a codebase. */
const IGNORED = ['**/.git/**', '**/node_modules/**'];

/** The question and the material of an RLM task, the material re-readable (a sandbox reset loads it again). */
export interface Material {
  question: string;
  single: boolean;
  documents: number;
  /** Bytes (files) or characters (message parts); the sandbox counts characters once loaded. */
  size: number;
  names: string[];
  /** Codebase files left out, with why (binary, unreadable). */
  skipped: string[];
  docs(): AsyncIterable<MaterialDoc>;
}

function stringDoc(name: string, text: string): MaterialDoc {
  return {
    name,
    async *pieces() {
      for (let i = 0; i < text.length; i += PIECE) yield text.slice(i, i + PIECE);
    },
  };
}

function fileDoc(name: string, path: string): MaterialDoc {
  return {
    name,
    async *pieces() {
      for await (const chunk of createReadStream(path, { highWaterMark: PIECE })) yield chunk as Buffer;
    },
  };
}

/** Glob patterns from metadata `paths`: a string or a list, relative, never leaving the codebase. */
function patternsOf(paths: unknown): Outcome<string[]> {
  if (paths === undefined) return { ok: true, value: ['**/*'] };
  const list = typeof paths === 'string' ? [paths] : paths;
  if (!Array.isArray(list) || list.length === 0 || !list.every((p) => typeof p === 'string' && p.length > 0)) {
    return { ok: false, error: 'Metadata "paths" must be a glob or a list of globs, like "src/**/*.ts".' };
  }
  const bad = list.find((p: string) => isAbsolute(p) || p.split(/[\\/]/).includes('..'));
  if (bad) return { ok: false, error: `Metadata "paths" must stay inside the codebase: "${bad}" is absolute or climbs out with "..".` };
  return { ok: true, value: list as string[] };
}

async function isBinary(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(SNIFF);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF, 0);
    return buffer.subarray(0, bytesRead).includes(0);
  } finally {
    await handle.close();
  }
}

interface CodebaseFiles {
  docs: { name: string; path: string; size: number }[];
  skipped: string[];
}

async function codebaseFiles(root: string, patterns: string[]): Promise<Outcome<CodebaseFiles>> {
  const names = (await glob(patterns, { cwd: root, onlyFiles: true, dot: false, followSymbolicLinks: false, ignore: IGNORED, expandDirectories: false })).sort();
  if (names.length > MAX_FILES) return { ok: false, error: `The paths match ${names.length} files; one run loads at most ${MAX_FILES}. Narrow metadata "paths".` };
  const docs: CodebaseFiles['docs'] = [];
  const skipped: string[] = [];
  for (const name of names) {
    const path = join(root, name);
    try {
      // A link may point anywhere: only files whose real path is inside the codebase are read.
      const real = await realpath(path);
      if (real !== root && !real.startsWith(root + sep)) {
        skipped.push(`${name} (links outside the codebase)`);
        continue;
      }
      const info = await stat(real);
      if (!info.isFile()) continue;
      if (await isBinary(real)) {
        skipped.push(`${name} (binary)`);
        continue;
      }
      docs.push({ name, path: real, size: info.size });
    } catch (err) {
      skipped.push(`${name} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
  }
  return { ok: true, value: { docs, skipped } };
}

/** Material from files the user names on this machine (the CLI's --file, never a task message). */
export async function fileMaterial(question: string, paths: string[]): Promise<Outcome<Material>> {
  const docs: MaterialDoc[] = [];
  let size = 0;
  for (const path of paths) {
    try {
      const info = await stat(path);
      if (!info.isFile()) return { ok: false, error: `${path} is not a file.` };
      size += info.size;
    } catch (err) {
      return { ok: false, error: `Cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.` };
    }
    docs.push(fileDoc(path, path));
  }
  return {
    ok: true,
    value: { question, single: docs.length === 1, documents: docs.length, size, names: [...paths], skipped: [], docs: async function* () {
      yield* docs;
    } },
  };
}

export interface MaterialSources {
  codebases: CodebaseRepository;
  defaultCodebase?: string;
}

/**
 * The question (the message's first text part) and the material: further text parts, file parts
 * with bytes, data parts (as JSON), and with metadata `codebase` the files of that registered
 * codebase matching metadata `paths`. Never a path from the message itself, never a URL.
 */
export async function materialOf(message: Message, sources: MaterialSources): Promise<Outcome<Material>> {
  let question: string | undefined;
  const docs: MaterialDoc[] = [];
  const names: string[] = [];
  let size = 0;
  let n = 0;
  for (const part of message.parts) {
    const content = part.content;
    n++;
    if (content?.$case === 'text') {
      if (question === undefined) {
        question = content.value.trim();
        continue;
      }
      const name = part.filename || `text-${n}`;
      docs.push(stringDoc(name, content.value));
      names.push(name);
      size += content.value.length;
    } else if (content?.$case === 'raw') {
      const name = part.filename || `file-${n}`;
      const bytes = content.value;
      docs.push({ name, pieces: async function* () {
        for (let i = 0; i < bytes.length; i += PIECE) yield bytes.subarray(i, i + PIECE);
      } });
      names.push(name);
      size += bytes.length;
    } else if (content?.$case === 'data') {
      const name = part.filename || `data-${n}`;
      const text = JSON.stringify(content.value, null, 2) ?? 'null';
      docs.push(stringDoc(name, text));
      names.push(name);
      size += text.length;
    } else if (content?.$case === 'url') {
      return { ok: false, error: `File part ${n} is a URL (${content.value}); the RLM agent fetches nothing. Send the file's bytes, or register its folder as a codebase and name it in metadata "codebase".` };
    }
  }
  if (!question) return { ok: false, error: 'The message needs a question: its first text part.' };

  const skipped: string[] = [];
  const meta = message.metadata ?? {};
  if (meta.codebase !== undefined || meta.paths !== undefined) {
    const patterns = patternsOf(meta.paths);
    if (!patterns.ok) return patterns;
    const codebase = resolveCodebase(sources.codebases, { requested: meta.codebase, defaultName: sources.defaultCodebase, agent: 'rlm' });
    if (!codebase.ok) return codebase;
    const files = await codebaseFiles(await realpath(codebase.value.path), patterns.value);
    if (!files.ok) return files;
    if (files.value.docs.length === 0) {
      return { ok: false, error: `No text file of codebase "${codebase.value.name}" matches ${patterns.value.map((p) => `"${p}"`).join(', ')}.` };
    }
    for (const f of files.value.docs) {
      docs.push(fileDoc(f.name, f.path));
      names.push(f.name);
      size += f.size;
    }
    skipped.push(...files.value.skipped);
  }
  if (docs.length === 0) {
    return {
      ok: false,
      error: 'No material to work on: add file or data parts, more text parts, or metadata {"codebase": NAME, "paths": ["src/**/*.ts"]} to load files of a registered codebase.',
    };
  }
  return {
    ok: true,
    value: {
      question,
      single: docs.length === 1,
      documents: docs.length,
      size,
      names,
      skipped,
      async *docs() {
        yield* docs;
      },
    },
  };
}
