// Runs an ONNX model in onnxruntime-node for the Python export checks (no
// onnxruntime for Python on Debian). Usage: node ort_run.cjs spec.json
// spec: { model, inputs: { name: { dims, file } }, outputs: [name], outDir }
// Tensors are raw little-endian float32 files; outputs are written the same way
// as <outDir>/<name>.bin with <name>.json holding dims.
const fs = require('node:fs');
const path = require('node:path');
const ort = require('onnxruntime-node');

async function main() {
  const spec = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  const session = await ort.InferenceSession.create(spec.model, { intraOpNumThreads: 2 });
  const feeds = {};
  for (const [name, t] of Object.entries(spec.inputs)) {
    const buf = fs.readFileSync(t.file);
    const data = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
    feeds[name] = new ort.Tensor('float32', Float32Array.from(data), t.dims);
  }
  const times = [];
  let out;
  for (let i = 0; i < (spec.repeat || 1); i++) {
    const t0 = process.hrtime.bigint();
    out = await session.run(feeds);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  for (const name of spec.outputs) {
    const t = out[name];
    fs.writeFileSync(path.join(spec.outDir, `${name}.bin`), Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength));
    fs.writeFileSync(path.join(spec.outDir, `${name}.json`), JSON.stringify({ dims: t.dims, times }));
  }
}
main().catch((e) => { console.error(e.message || e); process.exit(1); });
