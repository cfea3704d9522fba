import Foundation
import FreshetTestSupport
import Testing

@testable import Shared

/// Cross-checks with an implementation nobody here wrote: Apache Thrift's Python library (`thrift` in the
/// project venv), both its pure-Python `TBinaryProtocol` and its C `fastbinary` accelerator.
@Suite("CollectorPayload against the Python thrift library")
struct CollectorPayloadOracleTests {
    /// The struct described the way the Thrift compiler's Python generator describes it: `thrift_spec`
    /// is a tuple indexed by field id. The fields are listed here in IDL declaration order; the index
    /// decides the wire order.
    static let oracle = #"""
        import sys, json, base64, uuid
        from thrift.Thrift import TType
        from thrift.protocol import TBinaryProtocol, fastbinary
        from thrift.transport import TTransport

        FIELDS = [(31337, 'schema', TType.STRING), (100, 'ipAddress', TType.STRING),
                  (200, 'timestamp', TType.I64), (210, 'encoding', TType.STRING),
                  (220, 'collector', TType.STRING), (300, 'userAgent', TType.STRING),
                  (310, 'refererUri', TType.STRING), (320, 'path', TType.STRING),
                  (330, 'querystring', TType.STRING), (340, 'body', TType.STRING),
                  (350, 'headers', TType.LIST), (360, 'contentType', TType.STRING),
                  (400, 'hostname', TType.STRING), (410, 'networkUserId', TType.STRING)]
        NAMES = [name for _, name, _ in FIELDS]

        def make_spec(fields):
            spec = [None] * (max(f[0] for f in fields) + 1)
            for fid, name, ttype, *args in fields:
                arg = args[0] if args else ((TType.STRING, 'UTF8', False) if ttype == TType.LIST
                                            else 'UTF8' if ttype == TType.STRING else None)
                spec[fid] = (fid, ttype, name, arg, None)
            return tuple(spec)

        class CollectorPayload:
            thrift_spec = make_spec(FIELDS)
            def __init__(self, **values):
                for name in NAMES:
                    setattr(self, name, values.get(name))

        def decode_pure(data):
            obj = CollectorPayload()
            TBinaryProtocol.TBinaryProtocol(TTransport.TMemoryBuffer(data)).readStruct(obj, obj.thrift_spec)
            return obj

        def decode_fast(data):
            obj = CollectorPayload()
            prot = TBinaryProtocol.TBinaryProtocolAccelerated(TTransport.TMemoryBuffer(data))
            prot._fast_decode(obj, prot, [CollectorPayload, CollectorPayload.thrift_spec])
            return obj

        def encode_pure(obj, spec):
            buffer = TTransport.TMemoryBuffer()
            TBinaryProtocol.TBinaryProtocol(buffer).writeStruct(obj, spec)
            return buffer.getvalue()

        def as_dict(obj):
            return {name: getattr(obj, name) for name in NAMES}

        mode = sys.argv[1]
        for line in sys.stdin.read().splitlines():
            if mode == 'decode':
                data = base64.b64decode(line)
                pure, fast = as_dict(decode_pure(data)), as_dict(decode_fast(data))
                if pure != fast:
                    sys.exit('pure and accelerated decoders disagree')
                print(json.dumps(pure))
            elif mode == 'encode':
                obj = CollectorPayload(**json.loads(line))
                pure = encode_pure(obj, CollectorPayload.thrift_spec)
                fast = fastbinary.encode_binary(obj, [CollectorPayload, CollectorPayload.thrift_spec])
                if pure != fast:
                    sys.exit('pure and accelerated encoders disagree')
                print(base64.b64encode(pure).decode())
            elif mode == 'encode-extended':
                # A "future version" of the struct: extra fields of every type around the known ones.
                class Inner:
                    thrift_spec = make_spec([
                        (1, 'counts', TType.MAP, (TType.STRING, 'UTF8', TType.LIST, (TType.I32, None, False), False)),
                        (2, 'ids', TType.SET, (TType.I64, None, False)),
                        (3, 'names', TType.LIST, (TType.MAP, (TType.I16, None, TType.STRING, 'UTF8', False), False))])
                    def __init__(self, **v):
                        self.counts, self.ids, self.names = v.get('counts'), v.get('ids'), v.get('names')
                    def write(self, oprot):
                        oprot.writeStruct(self, self.thrift_spec)
                extended = FIELDS + [(1, 'flag', TType.BOOL), (2, 'small', TType.BYTE), (3, 'ratio', TType.DOUBLE),
                                     (4, 'short', TType.I16), (5, 'int', TType.I32), (6, 'uuid', TType.UUID),
                                     (500, 'inner', TType.STRUCT, (Inner, Inner.thrift_spec)),
                                     (501, 'inners', TType.LIST, (TType.STRUCT, (Inner, Inner.thrift_spec), False)),
                                     (32000, 'late', TType.STRING)]
                values = json.loads(line)
                obj = CollectorPayload(**values)
                obj.flag, obj.small, obj.ratio, obj.short, obj.int = True, -3, 2.5, 300, -70000
                obj.uuid = uuid.UUID('00112233-4455-6677-8899-aabbccddeeff')
                inner = Inner(counts={'a': [1, 2, 3], 'b': []}, ids={7, 8}, names=[{1: 'x', 2: 'ÿ'}, {}])
                obj.inner, obj.inners, obj.late = inner, [inner, Inner()], 'late field'
                print(base64.b64encode(encode_pure(obj, make_spec(extended))).decode())
        """#

    /// The payload fields as JSON, for exchanging with the oracle.
    struct Fields: Codable, Equatable {
        var schema: String?, ipAddress: String?, timestamp: Int64?, encoding: String?, collector: String?
        var userAgent: String?, refererUri: String?, path: String?, querystring: String?, body: String?
        var headers: [String]?, contentType: String?, hostname: String?, networkUserId: String?

        init(_ p: CollectorPayload) {
            (schema, ipAddress, timestamp, encoding, collector) = (p.schema, p.ipAddress, p.timestamp, p.encoding, p.collector)
            (userAgent, refererUri, path, querystring, body) = (p.userAgent, p.refererUri, p.path, p.querystring, p.body)
            (headers, contentType, hostname, networkUserId) = (p.headers, p.contentType, p.hostname, p.networkUserId)
        }
    }

    static let samples = [
        CollectorPayloadSamples.full, CollectorPayloadSamples.minimal, CollectorPayloadSamples.unicode,
        CollectorPayloadSamples.empties, CollectorPayloadSamples.large,
    ]

    func runOracle(_ mode: String, lines: [String]) throws -> [String] {
        let output = try ChildProcess.python(Self.oracle, arguments: [mode], input: Data((lines.joined(separator: "\n") + "\n").utf8))
        try #require(output.status == 0, "oracle failed: \(output.stderrText)")
        return output.stdoutText.split(separator: "\n").map(String.init)
    }

    @Test("Python thrift decodes our bytes to the same fields")
    func pythonDecodesOurBytes() throws {
        let lines = Self.samples.map { Base64.encode($0.thriftBytes()) }
        let decoded = try runOracle("decode", lines: lines)
        try #require(decoded.count == Self.samples.count)
        for (json, payload) in zip(decoded, Self.samples) {
            let fields = try JSONDecoder().decode(Fields.self, from: Data(json.utf8))
            #expect(fields == Fields(payload))
        }
    }

    @Test("we decode Python's bytes identically and reproduce them byte for byte")
    func weDecodeAndReproducePythonBytes() throws {
        let encoder = JSONEncoder()
        let lines = try Self.samples.map { String(decoding: try encoder.encode(Fields($0)), as: UTF8.self) }
        let encoded = try runOracle("encode", lines: lines)
        try #require(encoded.count == Self.samples.count)
        for (line, payload) in zip(encoded, Self.samples) {
            let pythonBytes = try Base64.decode(Array(line.utf8)).get()
            #expect(try CollectorPayload.decode(thrift: pythonBytes).get() == payload)
            #expect(payload.thriftBytes() == pythonBytes)
        }
    }

    @Test("fields a future struct version adds (every Thrift type, nested) are skipped")
    func futureVersionDecodes() throws {
        let line = String(decoding: try JSONEncoder().encode(Fields(CollectorPayloadSamples.full)), as: UTF8.self)
        let encoded = try runOracle("encode-extended", lines: [line])
        let bytes = try Base64.decode(Array(try #require(encoded.first).utf8)).get()
        #expect(bytes.count > CollectorPayloadSamples.full.thriftEncodedSize + 100)
        #expect(try CollectorPayload.decode(thrift: bytes).get() == CollectorPayloadSamples.full)
    }
}
