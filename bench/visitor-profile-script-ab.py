#!/usr/bin/env python3
# A/B of the visitor profile Lua script (Sources/Enricher/Profile/VisitorProfileScript.swift), Redis side
# only: the same generated batches (1000 events, 20 000 visitors, touches, late events, duplicates and,
# every tenth batch, a re-delivery from the same sources and a copy from other sources) go through each
# script version, each under its own key prefix; prints Redis main-thread CPU µs per event (INFO cpu) for
# each version and whether every answer was identical (the behaviour check when only speed changed).
# Usage: git show REV:Sources/Enricher/Profile/VisitorProfileScript.swift > /tmp/old.swift
#        bench/visitor-profile-script-ab.py PORT BATCHES /tmp/old.swift Sources/Enricher/Profile/VisitorProfileScript.swift
# Use a private server (redis-server --port PORT --save ''): the keys it writes are deleted at the end.
# Both calling conventions work: the values after the seventh argument as separate arguments and the
# answer as RESP arrays (before session 5), or as one MessagePack argument and a MessagePack answer
# (the script reads `argv[8]` with cmsgpack), with a touch as eight values or as one packed string
# (`<byte count>:<bytes>` eight times, scripts with `upgradeTouch`); answers are compared after decoding
# and unpacking.
# No dependencies (a minimal RESP client and MessagePack codec).
import socket, sys, random, uuid, re, hashlib

def extract(path):
    s = open(path).read()
    return s[s.index('#"""') + 4: s.index('"""#')].replace('\n        ', '\n').strip('\n')

class R:
    def __init__(self, port):
        self.s = socket.create_connection(('127.0.0.1', port)); self.f = self.s.makefile('rb')
    def cmd(self, *args):
        out = [b'*%d\r\n' % len(args)]
        for a in args:
            if isinstance(a, str): a = a.encode()
            elif isinstance(a, int): a = str(a).encode()
            out.append(b'$%d\r\n%s\r\n' % (len(a), a))
        self.s.sendall(b''.join(out)); return self.read()
    def read(self):
        line = self.f.readline()[:-2]; t, rest = line[:1], line[1:]
        if t == b'+': return rest.decode()
        if t == b'-': raise Exception(rest.decode())
        if t == b':': return int(rest)
        if t == b'$':
            n = int(rest)
            if n < 0: return None
            d = self.f.read(n + 2)[:-2]; return d
        if t == b'*':
            n = int(rest); return None if n < 0 else [self.read() for _ in range(n)]
        raise Exception('bad ' + repr(line))

def mp_pack(values):
    # an array of ints and strings, in the formats Freshet's MessagePack.Writer uses
    out = [b'\xdd' + len(values).to_bytes(4, 'big')]
    for v in values:
        if isinstance(v, int):
            if 0 <= v < 128: out.append(bytes([v]))
            elif v >= 0: out.append(b'\xcf' + v.to_bytes(8, 'big'))
            else: out.append(b'\xd3' + v.to_bytes(8, 'big', signed=True))
        else:
            b = v.encode() if isinstance(v, str) else v
            out.append((bytes([0xa0 | len(b)]) if len(b) < 32 else b'\xdb' + len(b).to_bytes(4, 'big')) + b)
    return b''.join(out)

def mp_unpack(data, i=0):
    # -> (value, next offset): ints, strings (as bytes), arrays (as lists)
    m = data[i]
    if m < 0x80: return m, i + 1
    if m >= 0xe0: return m - 256, i + 1
    if 0x90 <= m <= 0x9f or m in (0xdc, 0xdd):
        n, i = (m & 15, i + 1) if m <= 0x9f else ((int.from_bytes(data[i+1:i+3], 'big'), i + 3) if m == 0xdc else (int.from_bytes(data[i+1:i+5], 'big'), i + 5))
        out = []
        for _ in range(n):
            v, i = mp_unpack(data, i); out.append(v)
        return out, i
    if 0xa0 <= m <= 0xbf: n, i = m & 31, i + 1
    elif m in (0xd9, 0xda, 0xdb): w = {0xd9: 1, 0xda: 2, 0xdb: 4}[m]; n, i = int.from_bytes(data[i+1:i+1+w], 'big'), i + 1 + w
    elif 0xcc <= m <= 0xcf: w = 1 << (m - 0xcc); return int.from_bytes(data[i+1:i+1+w], 'big'), i + 1 + w
    elif 0xd0 <= m <= 0xd3: w = 1 << (m - 0xd0); return int.from_bytes(data[i+1:i+1+w], 'big', signed=True), i + 1 + w
    else: raise Exception('MessagePack marker %#x' % m)
    return data[i:i+n], i + n

def batch(rnd, round_, size, start=1709287200000):
    ev = []
    for i in range(size):
        v = rnd.randrange(50) if rnd.randrange(10) == 0 else rnd.randrange(20000)
        kind = rnd.randrange(20)
        touch = None
        if kind == 0: touch = ['search', 'Google', 'running shoes', '', '', '', '', 'www.google.com']
        elif kind == 1: touch = ['cpc', 'google', '', 'spring-sale', 'ad-42', 'EAIaIQobChMI', 'Google', '']
        dup = rnd.randrange(200) == 0 and ev
        eid = ev[rnd.randrange(len(ev))]['id'] if dup else uuid.UUID(int=rnd.getrandbits(128)).bytes
        t = start + round_ * 60000 + i - (rnd.randrange(3600000) if rnd.randrange(50) == 0 else 0)
        ev.append(dict(visitor='d5e1c1c0-0000-4000-8000-%012d' % v, t=t, pv=i % 3 == 0, touch=touch, id=eid,
                       source='0:%d' % (round_ * size + i), anon=rnd.randrange(100) == 0))
    return ev

def pack_touch(values):
    return b''.join(b'%d:%s' % (len(v.encode()), v.encode()) for v in values)

def unpack_touches(flat):
    # [t, packed, t, packed, ...] -> [t, v1, ..., v8, t, ...] (the eight-value form)
    out = []
    for k in range(0, len(flat), 2):
        out.append(flat[k]); data = flat[k + 1]; i = 0
        while i < len(data):
            j = data.index(b':', i); n = int(data[i:j]); out.append(data[j + 1:j + 1 + n]); i = j + 1 + n
    return out

def call(r, sha, prefix, ev, now, packed, touches_packed=False):
    groups, order = {}, []
    for e in ev:
        if e['anon']: continue
        if e['visitor'] not in groups: groups[e['visitor']] = []; order.append(e['visitor'])
        groups[e['visitor']].append(e)
    keys = [prefix + 'v:' + v for v in order]
    args = [now, str(now + 0.5), 1800000, 86400000, 400 * 86400000, '1', len(order)]
    for v in order:
        g = sorted(groups[v], key=lambda e: e['t'])
        args += [v, len(g)]
        for e in g:
            keys.append(prefix.encode() + b'e:' + e['id'])
            args += [e['t'], (1 if e['pv'] else 0) | (2 if e['touch'] else 0) | 4, e['source']]
            if e['touch']: args += [pack_touch(e['touch'])] if touches_packed else e['touch']
    anon = [e for e in ev if e['anon']]
    args.append(len(anon))
    for e in anon:
        keys.append(prefix.encode() + b'e:' + e['id']); args.append(e['source'])
    if not packed:
        return r.cmd('EVALSHA', sha, len(keys), *keys, *args)
    answer = mp_unpack(r.cmd('EVALSHA', sha, len(keys), *keys, *args[:7], mp_pack(args[7:])))[0]
    if touches_packed: answer[0] = unpack_touches(answer[0])
    return answer

def usec(r):
    # CPU of Redis' main thread (getrusage RUSAGE_THREAD, µs resolution): robust to a busy machine
    info = r.cmd('INFO', 'cpu').decode()
    u = float(re.search(r'used_cpu_user_main_thread:([0-9.]+)', info).group(1))
    s = float(re.search(r'used_cpu_sys_main_thread:([0-9.]+)', info).group(1))
    return (u + s) * 1e6

if __name__ == '__main__':
    port, batches = int(sys.argv[1]), int(sys.argv[2])
    paths = sys.argv[3:]
    r = R(port)
    shas = [r.cmd('SCRIPT', 'LOAD', extract(p)) for p in paths]
    packed = ['argv[8]' in extract(p) for p in paths]
    touches_packed = ['upgradeTouch' in extract(p) for p in paths]
    totals = [0] * len(paths)
    replies = [[] for _ in paths]
    tag = str(random.randrange(1 << 30))
    for b in range(batches):
        ev = batch(random.Random(b), b, 1000)
        for k, sha in enumerate(shas):
            before = usec(r)
            rep = call(r, sha, 'pp:%s:%d:' % (tag, k), ev, 1709287200000 + b * 60000, packed[k], touches_packed[k])
            totals[k] += usec(r) - before
            if batches <= 400: replies[k].append(rep)
        # replay one earlier batch (same sources: re-delivery) and the same batch with other sources (duplicates)
        if b % 10 == 9:
            for k, sha in enumerate(shas):
                before = usec(r)
                rep = call(r, sha, 'pp:%s:%d:' % (tag, k), ev, 1709287200000 + b * 60000 + 5, packed[k], touches_packed[k])
                totals[k] += usec(r) - before
                replies[k].append(rep)
                for e in ev: e['source'] = 'x' + e['source']
                rep = call(r, sha, 'pp:%s:%d:' % (tag, k), ev, 1709287200000 + b * 60000 + 9, packed[k], touches_packed[k])
                for e in ev: e['source'] = e['source'][1:]
                totals[k] += usec(r) - before
                replies[k].append(rep)
    for k, p in enumerate(paths):
        print('%s usec_per_event=%.2f' % (p, totals[k] / (batches * 1000 + (batches // 10) * 2000)))
    if len(paths) > 1:
        same = all(replies[0] == replies[k] for k in range(1, len(paths)))
        print('replies identical:', same)
    for k in range(len(paths)):
        cur = '0'
        while True:
            c, ks = r.cmd('SCAN', cur, 'MATCH', 'pp:%s:%d:*' % (tag, k), 'COUNT', 5000)
            if ks: r.cmd('DEL', *ks)
            cur = c.decode()
            if cur == '0': break
