/**
 * The script the sandbox runs before any of the model's code. It is a function of the host
 * functions, so those stay out of the global scope: the model's code sees only `print`,
 * `console.log`, `llm_query`, `llm_query_batched`, `FINAL` and `FINAL_VAR` (and `context`, once
 * the material is sealed). It returns the helpers the worker itself uses, bound to the original
 * built-ins, so code that overwrites String.prototype.slice or JSON cannot change how the worker
 * cuts or formats output (the worker checks what they return all the same).
 */
export const PRELUDE = `(function (host) {
  'use strict';
  const apply = Reflect.apply;
  const slice = String.prototype.slice;
  const stringify = JSON.stringify;
  const toStr = String;
  const isArray = Array.isArray;
  const map = Array.prototype.map;
  const join = Array.prototype.join;
  const identifier = /^[A-Za-z_$][\\w$]*$/;
  const test = RegExp.prototype.test;
  const globalEval = eval;
  const format = (v) => {
    if (typeof v === 'string') return v;
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') return toStr(v);
    try {
      const json = stringify(v);
      return json === undefined ? toStr(v) : json;
    } catch (e) {
      return toStr(v);
    }
  };
  const print = (...values) => host.print(apply(join, apply(map, values, [format]), [' ']));
  const define = (name, value) => Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
  define('print', print);
  define('console', { log: print, info: print, warn: print, error: print, debug: print });
  define('llm_query', (prompt) => host.llm([format(prompt)])[0]);
  define('llm_query_batched', (prompts) => {
    if (!isArray(prompts)) throw new TypeError('llm_query_batched takes an array of prompts');
    return host.llm(apply(map, prompts, [format]));
  });
  define('FINAL', (answer) => { host.final(format(answer)); });
  define('FINAL_VAR', (name) => {
    if (typeof name !== 'string' || !apply(test, identifier, [name])) throw new TypeError('FINAL_VAR takes the name of a variable, as a string: FINAL_VAR("answer")');
    host.final(format(globalEval(name)));
  });
  return {
    format,
    cut: (s, n) => apply(slice, s, [0, n]),
  };
})`;
