import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../main/store/open';
import { createTaskRepository } from '../../main/store/task-repository';
import { tempDir } from '../support/temp-dir';

const textParts = (...texts: string[]) => texts.map((text) => ({ text }));
const artifact = (id: string, ...texts: string[]) => JSON.stringify({ artifactId: id, parts: textParts(...texts) });
const partsOf = (json: string) => (JSON.parse(json) as { parts: { text: string }[] }).parts.map((p) => p.text);

function setup() {
  const db = openDatabase(join(tempDir(), 'db.sqlite'));
  const repo = createTaskRepository(db);
  repo.touchSession('ctx', 1);
  repo.insertTask({ id: 't1', context_id: 'ctx', agent: 'echo', state: 'working', status_json: '{}', metadata_json: null, last_seq: 0, attempts: 1, created_at: 1, updated_at: 1 });
  return repo;
}

describe('stored artifacts', () => {
  it('reads each artifact whole, its appended parts after its own, in the order they were first put', () => {
    const repo = setup();
    repo.putArtifact('t1', 'out', 1, artifact('out', 'a'));
    repo.putArtifact('t1', 'log', 2, artifact('log', 'x'));
    repo.appendArtifactParts('t1', 'out', JSON.stringify(textParts('b', 'c')));
    repo.appendArtifactParts('t1', 'log', JSON.stringify(textParts('y')));
    repo.appendArtifactParts('t1', 'out', JSON.stringify(textParts('d')));
    const [out, log, ...rest] = repo.artifacts('t1');
    expect(rest).toEqual([]);
    expect(partsOf(out!)).toEqual(['a', 'b', 'c', 'd']);
    expect(partsOf(log!)).toEqual(['x', 'y']);
    expect(repo.artifacts('no-such-task')).toEqual([]);
  });

  it('drops the appended parts when an artifact is put whole again, and keeps its place', () => {
    const repo = setup();
    repo.putArtifact('t1', 'out', 1, artifact('out', 'a'));
    repo.appendArtifactParts('t1', 'out', JSON.stringify(textParts('b')));
    repo.putArtifact('t1', 'log', 2, artifact('log', 'x'));
    repo.putArtifact('t1', 'out', 3, artifact('out', 'fresh'));
    repo.appendArtifactParts('t1', 'out', JSON.stringify(textParts('more')));
    expect(repo.artifacts('t1').map(partsOf)).toEqual([['fresh', 'more'], ['x']]);
  });
});
