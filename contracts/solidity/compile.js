// Compiles src/main/solidity/*.sol offline with the pinned solc-js (standard JSON), resolving imports from this
// folder's node_modules (OpenZeppelin). Writes <Name>.abi and <Name>.bin per contract. Skips the work when the
// sources, compiler version and settings are unchanged since the last run (Maven runs this on every build).
'use strict';
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const solc = require('solc');

const [srcDir, outDir] = process.argv.slice(2);
if (!srcDir || !outDir) {
  console.error('usage: node compile.js <solidity source folder> <output folder>');
  process.exit(2);
}
const settings = {
  evmVersion: 'cancun',
  optimizer: { enabled: true, runs: 200 },
  outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
};
const files = fs.readdirSync(srcDir).filter((f) => f.endsWith('.sol')).sort();
const sources = {};
const hash = crypto.createHash('sha256').update(solc.version()).update(JSON.stringify(settings));
for (const f of files) {
  const content = fs.readFileSync(path.join(srcDir, f), 'utf8');
  sources[f] = { content };
  hash.update(f).update(content);
}
const stamp = hash.digest('hex');
// the stamp lives outside the output folder so it does not end up in the jar
const stampFile = process.argv[4] || path.join(outDir, '..', '.solidity-inputs.sha256');
if (fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === stamp) {
  console.log('contracts unchanged, not recompiled');
  process.exit(0);
}

function findImports(p) {
  const candidates = [path.join(__dirname, 'node_modules', p), path.join(srcDir, p)];
  for (const c of candidates) {
    if (fs.existsSync(c)) return { contents: fs.readFileSync(c, 'utf8') };
  }
  return { error: 'import not found: ' + p + ' (run npm ci in contracts/solidity)' };
}

const output = JSON.parse(solc.compile(JSON.stringify({ language: 'Solidity', sources, settings }), { import: findImports }));
let failed = false;
for (const e of output.errors || []) {
  if (e.severity === 'error') failed = true;
  console.error(e.formattedMessage || e.message);
}
if (failed) process.exit(1);

fs.mkdirSync(outDir, { recursive: true });
fs.mkdirSync(path.dirname(stampFile), { recursive: true });
for (const f of files) {
  for (const [name, c] of Object.entries(output.contracts[f] || {})) {
    fs.writeFileSync(path.join(outDir, name + '.abi'), JSON.stringify(c.abi));
    fs.writeFileSync(path.join(outDir, name + '.bin'), c.evm.bytecode.object);
    console.log('compiled ' + name + ' (' + c.evm.bytecode.object.length / 2 + ' bytes) with solc ' + solc.version());
  }
}
fs.writeFileSync(stampFile, stamp);
