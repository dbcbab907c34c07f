#!/usr/bin/env node
// Validates every document of multi-document Kubernetes YAML files with kubernetes-models (required
// fields, types, formats), plus one rule the schema lacks: every container has an image.
// Usage: node validate-k8s.mjs a.yaml [b.yaml ...]; exit 1 on any error.
// K8S_MODELS_DIR: folder whose node_modules holds kubernetes-models@5.1.0 and yaml@2.9.1.
import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, dirname } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
const base = process.env.K8S_MODELS_DIR || join(dirname(fileURLToPath(import.meta.url)), 'tools/validate');
const { parseAllDocuments } = createRequire(join(base, 'package.json'))('yaml');
let docs = 0, errors = 0;
const fail = (where, msg) => { errors++; console.error(`${where}: ${msg}`); };
for (const file of process.argv.slice(2)) {
  for (const [i, doc] of parseAllDocuments(readFileSync(file, 'utf8')).entries()) {
    const obj = doc.errors.length ? undefined : doc.toJS(), where = `${file}#${i + 1}`;
    if (doc.errors.length) { fail(where, `YAML ${doc.errors[0].message}`); continue; }
    if (obj == null) continue; // empty document, e.g. a trailing ---
    docs++;
    const { apiVersion = '', kind = '' } = obj, at = `${where} ${kind}/${obj.metadata?.name ?? '?'}`;
    const model = join(base, 'node_modules/kubernetes-models', ...apiVersion.split('/'), `${kind}.js`);
    if (!apiVersion || !kind || !existsSync(model)) { fail(at, `no model for '${apiVersion}' '${kind}'`); continue; }
    const Model = (await import(pathToFileURL(model).href))[kind];
    try { new Model(obj).validate(); } catch (e) { fail(at, e.message.replace(/\s+/g, ' ')); }
    const pod = kind === 'Pod' ? obj.spec : (obj.spec?.jobTemplate?.spec ?? obj.spec)?.template?.spec;
    for (const c of [...(pod?.initContainers ?? []), ...(pod?.containers ?? [])])
      if (!c.image) fail(at, `container '${c.name}' has no image`);
  }
}
console.log(`${docs} documents, ${errors} errors`);
process.exit(errors ? 1 : 0);
