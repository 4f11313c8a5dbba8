// The layering the code relies on, checked over the source tree: the renderer talks to the services only
// through the contract, services never reach up into a transport adapter, and a wire shape has one
// definition (the contract's zod schema) — a hand-written interface with the same fields drifts silently,
// because zod strips the keys it does not know.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { contract } from '../src-preload/contract/index';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Folders of src-main that adapt the services to a transport or a process; the services sit below them. */
const ADAPTERS = ['electron', 'host', 'cli', 'api'].map((dir) => `src-main/${dir}/`);
/** Where the services are put together and handed to the adapters (above both). */
const COMPOSITION = ['src-main/services.ts', 'src-main/electron-main.ts'];

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = `${dir}/${name}`;
    if (statSync(join(root, path)).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !/\.d\.ts$/.test(name) ? [path] : [];
  });
}

/** Test code may start real services to drive a store or a window; product code may not. */
const isTestCode = (file: string) => /\.test\.tsx?$/.test(file) || /\/(testing|fixtures)\//.test(file);

const parsed = new Map<string, ts.SourceFile>();
function parse(file: string): ts.SourceFile {
  let source = parsed.get(file);
  if (!source) parsed.set(file, (source = ts.createSourceFile(file, readFileSync(join(root, file), 'utf8'), ts.ScriptTarget.Latest, true)));
  return source;
}

/** Repository-relative paths of a file's relative imports and re-exports (type-only ones included). */
function importsOf(file: string): string[] {
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    const spec =
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)
        ? node.moduleSpecifier.text
        : ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])
          ? node.arguments[0].text
          : undefined;
    if (spec?.startsWith('.')) found.push(relative(root, resolve(root, dirname(file), spec)));
    ts.forEachChild(node, visit);
  };
  visit(parse(file));
  return found;
}

/** Whether a resolved import (a file, or a folder's index) lies inside the folder `dir` (given with its slash). */
const inside = (target: string, dir: string) => `${target}/`.startsWith(dir);

function violations(files: string[], forbidden: (target: string) => boolean): string[] {
  return files.flatMap((file) => importsOf(file).filter(forbidden).map((target) => `${file} imports ${target}`));
}

/** Every object shape of the contract's methods and events, by its sorted key list. */
function contractShapes(): Map<string, string> {
  const shapes = new Map<string, string>();
  const seen = new Set<unknown>();
  const walk = (schema: z.ZodType | undefined, where: string): void => {
    if (!schema || seen.has(schema)) return;
    seen.add(schema);
    const def = (schema as unknown as { _zod: { def: Record<string, never> } })._zod.def;
    switch (def.type as string) {
      case 'object': {
        const shape = def.shape as Record<string, z.ZodType>;
        const keys = Object.keys(shape).sort();
        if (keys.length >= 2 && !shapes.has(keys.join())) shapes.set(keys.join(), where);
        for (const [key, value] of Object.entries(shape)) walk(value, `${where}.${key}`);
        return;
      }
      case 'array':
        return walk(def.element, `${where}[]`);
      case 'union':
        return (def.options as z.ZodType[]).forEach((option) => walk(option, where));
      case 'record':
        return walk(def.valueType, `${where}{}`);
      case 'lazy':
        return walk((def.getter as () => z.ZodType)(), where);
      case 'pipe':
        walk(def.in, where);
        return walk(def.out, where);
      case 'optional':
      case 'nullable':
      case 'default':
      case 'prefault':
      case 'readonly':
        return walk(def.innerType, where);
    }
  };
  for (const [name, m] of Object.entries(contract.methods)) {
    walk(m.input, `${name} input`);
    walk(m.output, `${name} output`);
  }
  for (const [name, e] of Object.entries(contract.events)) walk(e.payload, `${name} event`);
  return shapes;
}

/** Interfaces and object type literals whose data fields (not callbacks or event-map tuples) are exactly a contract shape's keys. */
function twinsIn(files: string[], shapes: Map<string, string>): string[] {
  const twins: string[] = [];
  for (const file of files) {
    const visit = (node: ts.Node) => {
      const members = ts.isInterfaceDeclaration(node)
        ? node.members
        : ts.isTypeAliasDeclaration(node) && ts.isTypeLiteralNode(node.type)
          ? node.type.members
          : undefined;
      if (members && (node as ts.InterfaceDeclaration).name) {
        const fields = members.filter(
          (m): m is ts.PropertySignature => ts.isPropertySignature(m) && ts.isIdentifier(m.name) && !(m.type && (ts.isFunctionTypeNode(m.type) || ts.isTupleTypeNode(m.type))),
        );
        const keys = fields.map((m) => (m.name as ts.Identifier).text).sort();
        const shape = fields.length === members.length ? shapes.get(keys.join()) : undefined;
        if (shape) twins.push(`${file}: ${(node as ts.InterfaceDeclaration).name.text} {${keys.join(', ')}} is the contract's ${shape}`);
      }
      ts.forEachChild(node, visit);
    };
    visit(parse(file));
  }
  return twins;
}

/**
 * What the main side decides for each Ol-Fi entry (its time, the compound a name is, the checksum verdict) comes
 * with the entry; these are the tools for working any of it out again: reading a stream id's time, upper-casing a
 * name, summing a payload's bytes.
 */
const REDERIVING = new Set(['streamIdTimeMs', 'toUpperCase', 'toLocaleUpperCase', 'TextEncoder', 'charCodeAt', 'codePointAt']);

function rederivingIn(files: string[]): string[] {
  return files.flatMap((file) => {
    const found: string[] = [];
    const visit = (node: ts.Node) => {
      if (ts.isIdentifier(node) && REDERIVING.has(node.text)) found.push(`${file}:${parse(file).getLineAndCharacterOfPosition(node.getStart()).line + 1} uses ${node.text}`);
      ts.forEachChild(node, visit);
    };
    visit(parse(file));
    return found;
  });
}

describe('boundaries', () => {
  const main = sourceFiles('src-main').filter((f) => !isTestCode(f));
  const renderer = sourceFiles('src-renderer').filter((f) => !isTestCode(f));

  it('the renderer imports only the contract and its own code', () => {
    expect(violations(renderer, (target) => !inside(target, 'src-renderer/') && !inside(target, 'src-preload/contract/'))).toEqual([]);
  });

  it("the renderer's Ol-Fi code works out no entry's time, compound or checksum again", () => {
    const olfi = renderer.filter((f) => f.startsWith('src-renderer/features/olfi/') || f.startsWith('src-renderer/stores/olfi/'));
    expect(olfi.length).toBeGreaterThan(4);
    expect(rederivingIn(olfi)).toEqual([]);
  });

  it('services import no transport adapter (electron/, host/, cli/, api/)', () => {
    const services = main.filter((f) => !ADAPTERS.some((dir) => f.startsWith(dir)) && !COMPOSITION.includes(f));
    expect(services.length).toBeGreaterThan(50);
    expect(violations(services, (target) => ADAPTERS.some((dir) => inside(target, dir)))).toEqual([]);
  });

  it('no interface repeats a contract shape (use its z.output type)', () => {
    const shapes = contractShapes();
    expect(shapes.size).toBeGreaterThan(40);
    expect(twinsIn([...main, ...renderer], shapes)).toEqual([]);
  });
});
