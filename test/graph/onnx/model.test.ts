import { test } from 'node:test';
import assert from 'node:assert/strict';
import protobuf from 'protobufjs';
import { Graph } from '../../../src/graph/builder.ts';

// independent decoder: the onnx.proto subset with its field numbers (onnx/onnx.proto)
const root = protobuf.Root.fromJSON({
  nested: {
    onnx: {
      nested: {
        ModelProto: { fields: { irVersion: { type: 'int64', id: 1 }, producerName: { type: 'string', id: 2 }, graph: { type: 'GraphProto', id: 7 }, opsetImport: { rule: 'repeated', type: 'OperatorSetIdProto', id: 8 } } },
        OperatorSetIdProto: { fields: { domain: { type: 'string', id: 1 }, version: { type: 'int64', id: 2 } } },
        GraphProto: { fields: { node: { rule: 'repeated', type: 'NodeProto', id: 1 }, name: { type: 'string', id: 2 }, initializer: { rule: 'repeated', type: 'TensorProto', id: 5 }, input: { rule: 'repeated', type: 'ValueInfoProto', id: 11 }, output: { rule: 'repeated', type: 'ValueInfoProto', id: 12 } } },
        NodeProto: { fields: { input: { rule: 'repeated', type: 'string', id: 1 }, output: { rule: 'repeated', type: 'string', id: 2 }, name: { type: 'string', id: 3 }, opType: { type: 'string', id: 4 }, attribute: { rule: 'repeated', type: 'AttributeProto', id: 5 } } },
        AttributeProto: { fields: { name: { type: 'string', id: 1 }, type: { type: 'int32', id: 20 }, f: { type: 'float', id: 2 }, i: { type: 'int64', id: 3 }, ints: { rule: 'repeated', type: 'int64', id: 8 } } },
        TensorProto: { fields: { dims: { rule: 'repeated', type: 'int64', id: 1 }, dataType: { type: 'int32', id: 2 }, name: { type: 'string', id: 8 }, rawData: { type: 'bytes', id: 9 } } },
        ValueInfoProto: { fields: { name: { type: 'string', id: 1 }, type: { type: 'TypeProto', id: 2 } } },
        TypeProto: { fields: { tensorType: { type: 'Tensor', id: 1 } }, nested: { Tensor: { fields: { elemType: { type: 'int32', id: 1 }, shape: { type: 'TensorShapeProto', id: 2 } } } } },
        TensorShapeProto: { fields: { dim: { rule: 'repeated', type: 'Dimension', id: 1 } }, nested: { Dimension: { fields: { dimValue: { type: 'int64', id: 1 }, dimParam: { type: 'string', id: 2 } } } } },
      },
    },
  },
});

test('the emitted ModelProto decodes with an independent onnx.proto descriptor', () => {
  const g = new Graph('m');
  const x = g.input('x', 'float32', ['B', 3]);
  const w = g.constant([1, 2, 3, 4, 5, 6], [3, 2], 'float32', 'w');
  const y = g.layerNorm(g.matMul(x, w), g.constant([1, 1], [2]), null, 1e-5);
  g.output('y', g.transpose(y, [1, 0]));
  g.mul(x, 3); // dead node: pruned from the model
  const m = root.lookupType('onnx.ModelProto').toObject(root.lookupType('onnx.ModelProto').decode(g.toOnnx({ opset: 20 })), { longs: Number }) as any;
  assert.equal(m.irVersion, 9);
  assert.deepEqual(m.opsetImport.map((o: any) => [o.domain ?? '', o.version]), [['', 20], ['com.microsoft', 1]]);
  assert.deepEqual(m.graph.node.map((n: any) => n.opType), ['MatMul', 'LayerNormalization', 'Transpose']);
  const ln = m.graph.node[1];
  assert.equal(ln.output.length, 3);
  const eps = ln.attribute.find((a: any) => a.name === 'epsilon');
  assert.equal(eps.type, 1);
  assert.ok(Math.abs(eps.f - 1e-5) < 1e-12);
  assert.deepEqual(m.graph.node[2].attribute[0].ints, [1, 0]);
  const wInit = m.graph.initializer.find((t: any) => t.name === 'w');
  assert.deepEqual(wInit.dims, [3, 2]);
  assert.equal(wInit.dataType, 1);
  assert.deepEqual(Array.from(new Float32Array(new Uint8Array(wInit.rawData).buffer)), [1, 2, 3, 4, 5, 6]);
  assert.equal(m.graph.initializer.length, 2); // the dead Mul's scalar is not emitted
  const dims = m.graph.input[0].type.tensorType.shape.dim;
  assert.deepEqual([dims[0].dimParam, dims[1].dimValue], ['B', 3]);
  assert.deepEqual(m.graph.output.map((o: any) => o.name), ['y']);
  assert.deepEqual(m.graph.output[0].type.tensorType.shape.dim.map((d: any) => d.dimValue ?? d.dimParam), [2, 'B']);
});
