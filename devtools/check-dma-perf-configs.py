#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright 2026 The ep-dma authors
"""Static check of dpdk-test-dma-perf configuration files for dw_edma channels.

DPDK's dpdk-test-dma-perf cannot run in CI here (it needs DPDK 24.11 or
later; the project builds against 22.11), so this checks what it can
without running it, following the tool's own parsing (app/test-dma-perf of
DPDK 24.11 and 25.11, and lib/cfgfile):

* the file loads (lines of at most 322 characters, ';' comments, no empty
  value, no key before the first section) and no value is longer than the
  255 characters the loader keeps (it cuts longer ones silently);
* the format: 24.11 (sections case1..caseN, every key per case) or 25.11
  (one [GLOBAL] with eal_args, cache_flush and test_seconds, then
  case1..caseN); every mandatory key present, no key the version ignores;
* values: integers where the tool uses atoi(), sweeps "first,last,incr,
  MUL|ADD" that end, one sweep per case, kick_batch and test_seconds >= 1
  (0 divides by zero in the tool), buf_size + 128 <= 65535, at least one
  buffer per worker, SG segment counts within max_sges, no
  use_enq_deq_ops=1 (the driver has no ops API);
* lcores: EAL's lcore set pinned in eal_args (-l, -c or --lcores); every
  worker lcore in it, not the main lcore, not used twice; more lcores than
  workers; a simulated endpoint's engine thread (model key cpu=) not on a
  worker's CPU;
* devices: each worker's dmadev is a channel of a simulated endpoint
  (--vdev dma_dw_edma_sim<N>, with its wr=/rd= counts) or of a PCI function
  (-a <BDF>); read channels (rd) do mem2dev, write channels (wr) dev2mem,
  mem2mem needs the function's outbound window (model key outbound=, or
  devarg m2m_base=); one worker per dmadev in a case;
* dma_ring_size of every scenario within [1, max_desc] with
  max_desc = desc_size / 24 - 3 (model key desc_size, default 4096; for a
  PCI function --desc-size, default 4096);
* endpoint addresses: for every scenario and worker,
  raddr + nr_buf * (buf_size + 128) fits in the endpoint memory (model keys
  ep_mem_base/ep_mem_size; for a PCI function --ep-mem BASE:SIZE) and the
  workers' ranges on one function do not overlap;
* cache_flush=0 when a worker's side is the device (the whole run on 25.11).

Templates (*.in) carry placeholders @PCI_BDF@ and @EP_ADDR@; they are checked with example values in their place and with
an endpoint buffer of TEMPLATE_EP_SIZE bytes at @EP_ADDR@ (what the guide
asks the user to provide). A placeholder left in a non-template file is an
error.

Usage:
  check-dma-perf-configs.py [options] FILE|DIR...   check (DIR: its *.ini
                                                    and *.ini.in files)
  check-dma-perf-configs.py --self-test DIR         break every shipped
        config in the ways the check must catch, and fail if one passes
Options:
  --desc-size BYTES   descriptor window of PCI functions' channels (4096)
  --ep-mem BASE:SIZE  endpoint memory for PCI functions' channels
  --eal "ARGS"        EAL arguments given on a 24.11 command line
Prints one PASS/FAIL line per file (self-test: per broken variant), the
findings indented below; exits 1 if any FAIL.
"""

import os
import re
import sys

# --- facts of the tool and of the driver --------------------------------

LINE_MAX = 322          # lib/cfgfile: char buffer[CFG_NAME_LEN + CFG_VALUE_LEN + 4]
VALUE_MAX = 255         # CFG_VALUE_LEN - 1
NAME_MAX = 63           # CFG_NAME_LEN - 1
MAX_CASES = 16          # MAX_TEST_CASES
MAX_EAL_TOKENS = 100    # MAX_EAL_PARAM_NB / MAX_EAL_ARGV_NB
HEADROOM = 128          # RTE_PKTMBUF_HEADROOM: remote buffers are buf_size + 128 apart
MAX_MBUF_DATA = 65535   # the tool refuses buf_size + headroom > UINT16_MAX
SLOT = 24               # one linked-list element
MAX_SGES = 64           # DW_EDMA_MAX_SGES
MODEL_DEFAULTS = {'wr': 1, 'rd': 1, 'desc_size': 4096,
                  'ep_mem_base': 0x4000000, 'ep_mem_size': 0x1000000}
TEMPLATE_VALUES = {'PCI_BDF': '0000:01:00.1', 'EP_ADDR': '0x80000000'}
TEMPLATE_EP_SIZE = 0x100000
TEMPLATE_REQUIRED = ('PCI_BDF', 'EP_ADDR')
# self-test: 64 KiB before the end of the model's endpoint memory
RADDR_PAST = '0x4FF0000'

CASE_KEYS_COMMON = ('type', 'mem_size', 'buf_size', 'src_numa_node', 'dst_numa_node')
DMA_KEYS = ('dma_ring_size', 'kick_batch', 'lcore_dma0')
RUN_KEYS = ('cache_flush', 'test_seconds')
OPTIONAL_CASE_KEYS = {'24.11': {'dma_src_sge', 'dma_dst_sge', 'skip', 'eal_args', 'lcore'},
                      '25.11': {'dma_src_sge', 'dma_dst_sge', 'skip', 'use_enq_deq_ops',
                                'lcore'}}
GLOBAL_KEYS = ('eal_args', 'cache_flush', 'test_seconds')
LCORE_DMA_KEYS = {'lcore', 'dev', 'dir', 'raddr', 'coreid', 'pfid', 'vfid'}
DIRS = ('mem2mem', 'mem2dev', 'dev2mem')


def max_desc(desc_size):
    """The driver's info.max_desc: one slot for the link, one kept free,
    one for the write-back of the open batch."""
    return min(desc_size // SLOT, 0xffff) - 3


def max_sges(desc_size):
    return min(MAX_SGES, (min(desc_size // SLOT, 0xffff) - 2) // 2)


class Findings:
    def __init__(self):
        self.errors = []
        self.warnings = []

    def err(self, where, msg):
        self.errors.append('%s: %s' % (where, msg))

    def warn(self, where, msg):
        self.warnings.append('%s: %s' % (where, msg))


# --- lib/cfgfile's loader -------------------------------------------------

def load_cfg(text, name, f):
    """Parse as rte_cfgfile_load(path, 0) does. Returns [(section, line,
    {key: (value, line)})] or None when the tool could not load it."""
    sections = []
    ok = True
    for lineno, raw in enumerate(text.split('\n'), 1):
        where = '%s:%d' % (name, lineno)
        if len(raw) > LINE_MAX:
            f.err(where, 'line of %d characters: the loader refuses lines over %d'
                  % (len(raw), LINE_MAX))
            ok = False
            continue
        line = raw
        m = re.search(r'(?<!\\);', line)
        if m:
            line = line[:m.start()]
        line = line.strip()
        if line.startswith('#'):
            f.err(where, "'#' does not start a comment for the tool: use ';'")
            continue
        if not line.startswith('[') and '=' not in line:
            continue
        if line.startswith('['):
            end = line.find(']')
            if end < 0:
                f.err(where, "no terminating ']'")
                ok = False
                continue
            sname = line[1:end].strip()
            if any(s[0] == sname for s in sections):
                f.err(where, 'section [%s] appears twice' % sname)
            sections.append((sname, lineno, {}))
            continue
        key, value = line.split('=', 1)
        key, value = key.strip(), value.strip().replace('\\;', ';')
        if value == '':
            f.err(where, 'empty value for %s: the loader refuses it' % key)
            ok = False
            continue
        if not sections:
            f.err(where, 'entry before the first section: the loader refuses it')
            ok = False
            continue
        if len(key) > NAME_MAX:
            f.err(where, 'key longer than %d characters' % NAME_MAX)
        if len(value) > VALUE_MAX:
            f.err(where, '%s is %d characters: the loader keeps the first %d only '
                  '(shorten it, e.g. fewer or shorter -d paths)' % (key, len(value), VALUE_MAX))
        entries = sections[-1][2]
        if key in entries:
            f.err(where, '%s given twice in [%s] (the tool uses the first)'
                  % (key, sections[-1][0]))
            continue
        entries[key] = (value, lineno)
    return sections if ok else None


# --- values -------------------------------------------------------------

def atoi_strict(value):
    if not re.fullmatch(r'[0-9]+', value):
        raise ValueError('not a decimal integer: %r' % value)
    return int(value)


def parse_entry(value):
    """mem_size, buf_size, dma_ring_size, kick_batch: "N" or
    "first,last,incr,MUL|ADD". Returns (list of values, is_sweep)."""
    parts = value.split(',')
    if len(parts) == 1:
        return [atoi_strict(parts[0])], False
    if len(parts) != 4:
        raise ValueError('expected N or first,last,incr,MUL|ADD: %r' % value)
    first, last, incr = (atoi_strict(p.strip()) for p in parts[:3])
    op = parts[3].strip()
    if op not in ('MUL', 'ADD'):
        raise ValueError('operation %r is neither MUL nor ADD' % op)
    if incr == 0 or (op == 'MUL' and (incr < 2 or first == 0)):
        raise ValueError('sweep %r never ends (or never moves)' % value)
    if first > last:
        raise ValueError('sweep %r: first above last, no scenario runs' % value)
    vals, cur = [], first
    while cur <= last:
        vals.append(cur)
        cur = cur * incr if op == 'MUL' else cur + incr
    return vals, True


def parse_int_auto(value):
    return int(value, 0)


def parse_cpulist(s):
    out = set()
    for part in s.split(','):
        part = part.strip('()')
        if '-' in part:
            a, b = part.split('-', 1)
            out.update(range(int(a), int(b) + 1))
        elif part != '':
            out.add(int(part))
    return out


def parse_lcores_map(s):
    """--lcores '<lcores[@cpus]>[,...]': returns {lcore: cpuset or None}."""
    out = {}
    for m in re.finditer(r'(\([^)]*\)|[0-9-]+)(?:@(\([^)]*\)|[0-9-]+))?', s):
        lcores = parse_cpulist(m.group(1).strip('()').replace(' ', ''))
        cpus = parse_cpulist(m.group(2).strip('()')) if m.group(2) else None
        for lc in lcores:
            out[lc] = cpus if cpus is not None else {lc}
    return out


class Eal:
    def __init__(self):
        self.lcores = None      # {lcore: cpuset}
        self.main = None
        self.models = {}        # name -> keys
        self.pci = {}           # bdf -> devargs
        self.plugins = []


def parse_eal(value, where, f):
    e = Eal()
    if '  ' in value:
        f.err(where, 'two spaces in a row: the tool splits on every space and '
              'hands EAL an empty argument')
    toks = [t for t in value.split(' ') if t != '']
    if len(toks) > MAX_EAL_TOKENS:
        f.err(where, 'more than %d EAL arguments' % MAX_EAL_TOKENS)
    i = 0
    main = None
    while i < len(toks):
        t = toks[i]
        opt, arg = t, None
        if t.startswith('--') and '=' in t:
            opt, arg = t.split('=', 1)
        takes = opt in ('-l', '-c', '--lcores', '--main-lcore', '-d', '--vdev', '-a',
                        '--allow', '-m', '-n', '--iova-mode', '--file-prefix',
                        '--log-level', '-b', '--block', '--socket-mem', '--proc-type')
        if takes and arg is None:
            if i + 1 >= len(toks):
                f.err(where, '%s without its argument' % opt)
                break
            arg = toks[i + 1]
            i += 1
        i += 1
        try:
            if opt == '-l':
                e.lcores = {lc: {lc} for lc in parse_cpulist(arg)}
            elif opt == '-c':
                mask = int(arg, 16)
                e.lcores = {b: {b} for b in range(mask.bit_length()) if mask >> b & 1}
            elif opt == '--lcores':
                e.lcores = parse_lcores_map(arg)
            elif opt == '--main-lcore':
                main = int(arg)
            elif opt == '-d':
                e.plugins.append(arg)
            elif opt == '--vdev':
                name, _, kv = arg.partition(',')
                keys = dict(MODEL_DEFAULTS)
                for item in filter(None, kv.split(',')):
                    k, _, v = item.partition('=')
                    keys[k] = v
                if re.fullmatch(r'dma_dw_edma_sim[0-9]+', name):
                    for k in ('wr', 'rd', 'desc_size', 'ep_mem_base', 'ep_mem_size'):
                        keys[k] = parse_int_auto(str(keys[k]))
                    e.models[name] = keys
            elif opt in ('-a', '--allow'):
                bdf, _, kv = arg.partition(',')
                args = {}
                for item in filter(None, kv.split(',')):
                    k, _, v = item.partition('=')
                    args[k] = v
                e.pci[bdf] = args
        except ValueError as ex:
            f.err(where, 'cannot parse %s %s: %s' % (opt, arg, ex))
    if e.lcores is not None and e.lcores:
        e.main = main if main is not None else min(e.lcores)
        if e.main not in e.lcores:
            f.err(where, '--main-lcore %d is not one of the lcores' % e.main)
    return e


# --- the checks -------------------------------------------------------------

class Options:
    def __init__(self):
        self.desc_size = 4096
        self.ep_mem = None
        self.eal = None


def resolve_dev(dev, eal, opts, template):
    """Returns (function kind, function name, channel kind 'wr'|'rd',
    channel index, facts) or None."""
    m = re.fullmatch(r'(.+)-(wr|rd)([0-9]+)', dev)
    if not m:
        return None
    fn, kind, idx = m.group(1), m.group(2), int(m.group(3))
    if fn in eal.models:
        k = eal.models[fn]
        if idx >= k[kind]:
            return ('model', fn, kind, idx, None)
        return ('model', fn, kind, idx, {
            'desc_size': k['desc_size'],
            'ep_mem': (k['ep_mem_base'], k['ep_mem_size']),
            'm2m': 'outbound' in k or 'm2m_base' in k,
            'cpu': int(k['cpu'], 0) if 'cpu' in k else None})
    if fn in eal.pci:
        if idx > 7:
            return ('pci', fn, kind, idx, None)
        ep_mem = opts.ep_mem
        if ep_mem is None and template:
            ep_mem = (int(TEMPLATE_VALUES['EP_ADDR'], 16), TEMPLATE_EP_SIZE)
        return ('pci', fn, kind, idx, {
            'desc_size': opts.desc_size, 'ep_mem': ep_mem,
            'm2m': 'm2m_base' in eal.pci[fn], 'cpu': None})
    return None


def check_case(fmt, sname, entries, global_run, case_eal, opts, template, name, f):
    """Checks one case; returns True if a worker's side is the device."""
    def at(key):
        return '%s:%d' % (name, entries[key][1]) if key in entries else \
            '%s [%s]' % (name, sname)

    skipped = 'skip' in entries and entries['skip'][0].strip() == '1'
    allowed = set(CASE_KEYS_COMMON) | set(DMA_KEYS) | OPTIONAL_CASE_KEYS[fmt]
    if fmt == '24.11':
        allowed |= set(RUN_KEYS)
    for key in entries:
        if key.startswith('lcore_dma') and re.fullmatch(r'lcore_dma[0-9]+', key):
            continue
        if key not in allowed:
            hint = ' (25.11 reads it from [GLOBAL] only)' if fmt == '25.11' and \
                key in GLOBAL_KEYS else ''
            f.err(at(key), 'key %s is not read by the %s tool%s' % (key, fmt, hint))
    if 'type' not in entries:
        f.err(at('type'), 'missing mandatory key type')
        return False
    ctype = entries['type'][0]
    if ctype not in ('DMA_MEM_COPY', 'CPU_MEM_COPY'):
        f.err(at('type'), 'type %s is neither DMA_MEM_COPY nor CPU_MEM_COPY' % ctype)
        return False
    mandatory = list(CASE_KEYS_COMMON)
    if fmt == '24.11':
        mandatory += RUN_KEYS
    mandatory += DMA_KEYS if ctype == 'DMA_MEM_COPY' else ('lcore',)
    for key in mandatory:
        if key not in entries:
            crash = fmt == '24.11' and key in ('src_numa_node', 'dst_numa_node') + RUN_KEYS
            f.err(at(key), 'missing mandatory key %s%s' % (
                key, ' (the 24.11 tool crashes on it)' if crash else ''))
    if any(k not in entries for k in mandatory):
        return False

    vals = {}
    sweeps = 0
    for key in ('mem_size', 'buf_size') + (('dma_ring_size', 'kick_batch')
                                           if ctype == 'DMA_MEM_COPY' else ()):
        try:
            vals[key], sweep = parse_entry(entries[key][0])
            sweeps += sweep
        except ValueError as ex:
            f.err(at(key), '%s: %s' % (key, ex))
            return False
    if sweeps > 1:
        f.err('%s [%s]' % (name, sname), 'more than one swept parameter '
              '(the tool allows one per case)')
    for key in ('src_numa_node', 'dst_numa_node'):
        try:
            atoi_strict(entries[key][0])
        except ValueError as ex:
            f.err(at(key), '%s: %s' % (key, ex))
    run = dict(global_run)
    if fmt == '24.11':
        for key in RUN_KEYS:
            try:
                run[key] = (atoi_strict(entries[key][0]), at(key))
            except ValueError as ex:
                f.err(at(key), '%s: %s' % (key, ex))
                return False
    if 'test_seconds' in run and run['test_seconds'][0] < 1:
        f.err(run['test_seconds'][1], 'test_seconds must be at least 1 (0 divides by zero)')
    if 'cache_flush' in run and run['cache_flush'][0] not in (0, 1):
        f.err(run['cache_flush'][1], 'cache_flush is 0 or 1')
    if any(v < 1 for v in vals['mem_size']):
        f.err(at('mem_size'), 'mem_size is in MiB, at least 1')
    if any(v < 1 or v + HEADROOM > MAX_MBUF_DATA for v in vals['buf_size']):
        f.err(at('buf_size'), 'buf_size must be 1..%d (buf_size + %d <= %d)'
              % (MAX_MBUF_DATA - HEADROOM, HEADROOM, MAX_MBUF_DATA))
    if ctype != 'DMA_MEM_COPY':
        return False
    if any(v < 1 for v in vals['kick_batch']):
        f.err(at('kick_batch'), 'kick_batch must be at least 1 (0 divides by zero)')
    if 'use_enq_deq_ops' in entries and entries['use_enq_deq_ops'][0].strip() == '1':
        f.err(at('use_enq_deq_ops'), 'use_enq_deq_ops=1: dw_edma has no '
              'RTE_DMA_CAPA_OPS_ENQ_DEQ, the tool exits')
    sg = None
    if ('dma_src_sge' in entries) != ('dma_dst_sge' in entries):
        f.err('%s [%s]' % (name, sname), 'dma_src_sge and dma_dst_sge go together')
    elif 'dma_src_sge' in entries:
        try:
            sg = (atoi_strict(entries['dma_src_sge'][0]),
                  atoi_strict(entries['dma_dst_sge'][0]))
            if min(sg) < 1:
                f.err(at('dma_src_sge'), 'SG segment counts must be at least 1')
                sg = None
        except ValueError as ex:
            f.err(at('dma_src_sge'), str(ex))

    # workers
    workers = []
    i = 0
    while 'lcore_dma%d' % i in entries:
        workers.append(('lcore_dma%d' % i,) + entries['lcore_dma%d' % i])
        i += 1
    for key in entries:
        m = re.fullmatch(r'lcore_dma([0-9]+)', key)
        if m and int(m.group(1)) >= len(workers):
            f.err(at(key), '%s after a gap: the tool stops at lcore_dma%d'
                  % (key, len(workers)))
    eal = case_eal
    if eal is None:
        f.err('%s [%s]' % (name, sname), 'no eal_args: pin the lcores and name the '
              'devices in the file (or pass --eal for a 24.11 command line)')
        return False
    if eal.lcores is None:
        f.err('%s [%s]' % (name, sname), 'eal_args pins no lcores (-l, -c or '
              '--lcores): the main lcore cannot be checked')
    elif len(eal.lcores) < 2 or len(eal.lcores) <= len(workers):
        f.err('%s [%s]' % (name, sname), '%d lcores for %d workers: the tool needs '
              'more lcores than workers, and at least 2'
              % (len(eal.lcores), len(workers)))
    device_side = False
    used_lcores, used_devs = {}, {}
    ranges = []
    for key, value, lineno in workers:
        where = '%s:%d' % (name, lineno)
        kv = {}
        for item in value.split(','):
            k, eq, v = item.partition('=')
            if not eq:
                f.err(where, '%s: %r is not key=value' % (key, item))
                continue
            if k not in LCORE_DMA_KEYS:
                f.err(where, '%s: unknown key %s (the tool refuses it)' % (key, k))
            kv[k] = v
        for k in ('lcore', 'dev', 'dir'):
            if k not in kv:
                f.err(where, '%s: no %s=' % (key, k))
        if any(k not in kv for k in ('lcore', 'dev', 'dir')):
            continue
        if kv['dir'] not in DIRS:
            f.err(where, '%s: dir=%s is none of %s (the tool silently runs mem2mem)'
                  % (key, kv['dir'], ', '.join(DIRS)))
            continue
        try:
            lcore = atoi_strict(kv['lcore'])
        except ValueError as ex:
            f.err(where, '%s: lcore: %s' % (key, ex))
            continue
        if eal.lcores is not None:
            if lcore not in eal.lcores:
                f.err(where, '%s: lcore %d is not an EAL lcore (%s): the launch fails '
                      'and the tool waits forever' % (key, lcore, sorted(eal.lcores)))
            elif lcore == eal.main:
                f.err(where, '%s: lcore %d is the main lcore: the tool cannot launch '
                      'a worker there and waits forever' % (key, lcore))
        if lcore in used_lcores:
            f.err(where, '%s: lcore %d already runs %s' % (key, lcore, used_lcores[lcore]))
        used_lcores[lcore] = key
        dev = kv['dev']
        if dev in used_devs:
            f.err(where, '%s: %s already used by %s (one worker per dmadev)'
                  % (key, dev, used_devs[dev]))
        used_devs[dev] = key
        r = resolve_dev(dev, eal, opts, template)
        if r is None:
            f.err(where, '%s: %s is no channel of a dma_dw_edma_sim vdev or -a PCI '
                  'function in eal_args' % (key, dev))
            continue
        fkind, fn, chkind, _, facts = r
        if facts is None:
            f.err(where, '%s: %s: that function has no such channel' % (key, dev))
            continue
        d = kv['dir']
        if d == 'mem2dev' and chkind != 'rd' or d == 'dev2mem' and chkind != 'wr':
            f.err(where, '%s: %s on a %s channel: read channels (rd) do mem2dev, write '
                  'channels (wr) dev2mem' % (key, d, chkind))
        if d == 'mem2mem' and not facts['m2m']:
            msg = '%s: mem2mem needs the function\'s outbound window (model key ' \
                'outbound=, devarg m2m_base=)' % key
            if skipped:
                f.warn(where, msg + '; the case is skipped')
            else:
                f.err(where, msg)
        md = max_desc(facts['desc_size'])
        bad = [v for v in vals['dma_ring_size'] if v < 1 or v > md]
        if bad:
            f.err(at('dma_ring_size'), 'dma_ring_size %s outside [1, max_desc %d] of %s '
                  '(%d-byte descriptor window: %d / 24 - 3)'
                  % (','.join(map(str, bad)), md, dev, facts['desc_size'],
                     facts['desc_size']))
        if sg is not None and max(sg) > max_sges(facts['desc_size']):
            f.err(at('dma_src_sge'), 'SG segments above max_sges %d of %s'
                  % (max_sges(facts['desc_size']), dev))
        if fkind == 'model' and facts['cpu'] is not None and eal.lcores is not None \
                and facts['cpu'] in eal.lcores.get(lcore, set()):
            f.err(where, '%s: the model\'s engine thread (cpu=%d) shares the CPU of '
                  'worker lcore %d' % (key, facts['cpu'], lcore))
        if fkind == 'model' and facts['cpu'] is None:
            f.warn(where, '%s: the model\'s engine thread is not pinned (cpu=): it may '
                   'land on the worker\'s CPU' % key)
        if d == 'mem2mem':
            if 'raddr' in kv:
                f.warn(where, '%s: raddr has no effect with mem2mem' % key)
            continue
        device_side = True
        if 'raddr' not in kv:
            f.err(where, '%s: %s without raddr (the tool would use endpoint address 0)'
                  % (key, d))
            continue
        try:
            raddr = int(kv['raddr'], 16)
        except ValueError:
            f.err(where, '%s: raddr=%s is not hexadecimal' % (key, kv['raddr']))
            continue
        if facts['ep_mem'] is None:
            f.err(where, '%s: endpoint memory of %s unknown: pass --ep-mem BASE:SIZE'
                  % (key, fn))
            continue
        ranges.append((fn, raddr, key, where, facts['ep_mem']))

    # every scenario: the endpoint range of each device-side worker
    nw = max(len(workers), 1)
    for mem in vals['mem_size']:
        for buf in vals['buf_size']:
            nr = mem * 1024 * 1024 // (buf * 2)
            nr -= nr % nw
            per = nr // nw
            if sg is not None:
                per -= per % (sg[0] * sg[1])
            if per < 1 or (sg is not None and per // max(sg) < 1):
                f.err(at('mem_size'), 'mem_size %d MiB, buf_size %d: no buffer per worker'
                      % (mem, buf))
                continue
            spans = []
            for fn, raddr, key, where, (base, size) in ranges:
                end = raddr + per * (buf + HEADROOM)
                if raddr < base or end > base + size:
                    f.err(where, '%s: buf_size %d, mem_size %d: %d buffers from raddr '
                          '0x%x end at 0x%x, outside the endpoint memory [0x%x, 0x%x)'
                          % (key, buf, mem, per, raddr, end, base, base + size))
                for ofn, oraddr, oend, okey in spans:
                    if ofn == fn and raddr < oend and oraddr < end:
                        f.err(where, '%s: endpoint range [0x%x, 0x%x) overlaps %s\'s'
                              % (key, raddr, end, okey))
                spans.append((fn, raddr, end, key))
    return device_side


def check_text(text, name, opts, fmt_hint=None):
    f = Findings()
    template = name.endswith('.in')
    placeholders = set(re.findall(r'@([A-Z0-9_]+)@', text))
    if template:
        for ph in TEMPLATE_REQUIRED:
            if ph not in placeholders:
                f.err(name, 'template without @%s@ for the user to fill in' % ph)
        for ph in placeholders - set(TEMPLATE_VALUES):
            f.err(name, 'unknown placeholder @%s@' % ph)
        for ph, v in TEMPLATE_VALUES.items():
            text = text.replace('@%s@' % ph, v)
    elif placeholders:
        f.err(name, 'placeholder(s) %s not filled in'
              % ', '.join('@%s@' % p for p in sorted(placeholders)))
        return f
    sections = load_cfg(text, name, f)
    if sections is None:
        return f
    names = [s[0] for s in sections]
    fmt = '25.11' if 'GLOBAL' in names else '24.11'
    base = os.path.basename(name)
    for v in ('24.11', '25.11'):
        if v in base and v != fmt:
            f.err(name, 'named for %s but written in the %s format (%s)' % (
                v, fmt, '[GLOBAL] section' if fmt == '25.11' else 'no [GLOBAL] section'))
    cases = [s for s in sections if s[0] != 'GLOBAL']
    if not cases:
        f.err(name, 'no case')
    if len(sections) > MAX_CASES + (fmt == '25.11'):
        f.err(name, 'more than %d cases' % MAX_CASES)
    for i, (sname, lineno, _) in enumerate(cases, 1):
        if sname != 'case%d' % i:
            f.err('%s:%d' % (name, lineno), 'section [%s]: the tool reads [case1]..'
                  '[case%d] in order, this one must be [case%d]' % (sname, len(cases), i))
    global_run, global_eal = {}, None
    if fmt == '25.11':
        g = [s for s in sections if s[0] == 'GLOBAL'][0]
        for key in GLOBAL_KEYS:
            if key not in g[2]:
                f.err('%s:%d' % (name, g[1]), '[GLOBAL] misses mandatory key %s' % key)
        for key in g[2]:
            if key not in GLOBAL_KEYS:
                f.err('%s:%d' % (name, g[2][key][1]), '[GLOBAL] key %s is not read' % key)
        for key in RUN_KEYS:
            if key in g[2]:
                try:
                    global_run[key] = (atoi_strict(g[2][key][0]),
                                       '%s:%d' % (name, g[2][key][1]))
                except ValueError as ex:
                    f.err('%s:%d' % (name, g[2][key][1]), '%s: %s' % (key, ex))
        if 'eal_args' in g[2]:
            global_eal = parse_eal(g[2]['eal_args'][0], '%s:%d' % (name, g[2]['eal_args'][1]), f)
        if opts.eal is not None:
            f.err(name, '--eal: the 25.11 tool takes no EAL arguments on its command line')
    any_device = False
    for sname, lineno, entries in cases:
        if fmt == '24.11':
            args = []
            if opts.eal is not None:
                args.append(opts.eal)
            if 'eal_args' in entries:
                args.append(entries['eal_args'][0])
            where = '%s:%d' % (name, entries['eal_args'][1]) if 'eal_args' in entries \
                else name
            case_eal = parse_eal(' '.join(args), where, f) if args else None
        else:
            case_eal = global_eal
        dev_side = check_case(fmt, sname, entries, global_run, case_eal, opts,
                              template, name, f)
        any_device |= dev_side
        if fmt == '24.11' and dev_side and 'cache_flush' in entries and \
                entries['cache_flush'][0] != '0':
            f.err('%s:%d' % (name, entries['cache_flush'][1]), 'cache_flush must be 0: '
                  'a side of this case is endpoint memory, not host memory')
    if fmt == '25.11' and any_device and global_run.get('cache_flush', (0,))[0] != 0:
        f.err(global_run['cache_flush'][1], 'cache_flush must be 0: it applies to every '
              'case and a case has an endpoint-memory side')
    return f


def report(label, f):
    print('%s %s' % ('FAIL' if f.errors else 'PASS', label))
    for e in f.errors:
        print('  error: ' + e)
    for w in f.warnings:
        print('  warning: ' + w)
    return not f.errors


def config_files(paths):
    out = []
    for p in paths:
        if os.path.isdir(p):
            out += sorted(os.path.join(p, n) for n in os.listdir(p)
                          if n.endswith('.ini') or n.endswith('.ini.in'))
        else:
            out.append(p)
    return out


# --- self-test: every way of breaking a shipped config must be caught ------

def mutations(text):
    """Yields (label, broken text, expected message fragment)."""
    lines = text.split('\n')
    is25 = any(l.strip() == '[GLOBAL]' for l in lines)

    def first(pred):
        for i, l in enumerate(lines):
            if pred(l):
                return i
        return None

    def replaced(i, new):
        out = list(lines)
        out[i] = new
        return '\n'.join(out)

    def dropped(i):
        return '\n'.join(lines[:i] + lines[i + 1:])

    case_start = first(lambda l: l.strip() == '[case1]')

    def in_case1(key):
        return next((j for j in range(case_start, len(lines))
                     if lines[j].startswith(key + '=')), None)

    for key in list(CASE_KEYS_COMMON) + list(DMA_KEYS) + list(RUN_KEYS):
        i = in_case1(key)
        if i is not None:
            yield 'no-' + key, dropped(i), 'missing mandatory key'
    if is25:
        for key in GLOBAL_KEYS:
            i = first(lambda l, k=key: l.startswith(k + '='))
            yield 'no-global-' + key, dropped(i), 'misses mandatory key'
    devside = next((j for j in range(len(lines)) if lines[j].startswith('lcore_dma0=')
                    and 'raddr=' in lines[j]), None)
    i = in_case1('dma_ring_size')
    if i is not None:
        yield 'ring-above-max-desc', replaced(i, 'dma_ring_size=168'), 'max_desc'
        yield 'ring-1024', replaced(i, 'dma_ring_size=1024'), 'max_desc'
    if devside is not None:
        for label, addr in (('raddr-past-endpoint-memory', RADDR_PAST),
                            ('raddr-below-endpoint-memory', '0x1000')):
            yield label, replaced(devside, re.sub(r'raddr=[^,]*', 'raddr=' + addr,
                                                  lines[devside])), \
                'outside the endpoint memory'
        yield 'no-raddr', replaced(devside, re.sub(r',raddr=[^,]*', '', lines[devside])), \
            'without raddr'
        yield 'mem2dev-on-write-channel' if 'mem2dev' in lines[devside] else \
            'dev2mem-on-read-channel', replaced(devside, lines[devside].replace(
                'dir=mem2dev', 'dir=dev2mem') if 'mem2dev' in lines[devside] else
                lines[devside].replace('dir=dev2mem', 'dir=mem2dev')), 'channels'
        j = first(lambda l: l.startswith('cache_flush='))
        yield 'cache-flush-1', replaced(j, 'cache_flush=1'), 'cache_flush must be 0'
    i = first(lambda l: l.startswith('lcore_dma0='))
    yield 'worker-on-main-lcore', replaced(i, re.sub(r'lcore=[0-9]+', 'lcore=0', lines[i])), \
        'main lcore'
    yield 'worker-not-an-lcore', replaced(i, re.sub(r'lcore=[0-9]+', 'lcore=5', lines[i])), \
        'not an EAL lcore'
    yield 'dir-typo', replaced(i, re.sub(r'dir=[a-z0-9]+', 'dir=mem2Dev', lines[i])), \
        'silently runs mem2mem'
    yield 'kick-batch-0', replaced(in_case1('kick_batch'), 'kick_batch=0'), \
        'kick_batch must be at least 1'
    j = first(lambda l: l.startswith('eal_args='))
    pad = max(1, VALUE_MAX + 1 - len(lines[j].split('=', 1)[1]) - len(' --log-level='))
    yield 'eal-args-over-255', replaced(j, lines[j] + ' --log-level=' + 'x' * pad), \
        'keeps the first 255'
    yield 'eal-args-no-lcores', replaced(j, re.sub(r'-l [0-9,-]+ ', '', lines[j])), \
        'pins no lcores'
    yield 'hash-comment', replaced(case_start + 1, '# type=DMA_MEM_COPY'), "'#'"
    yield 'renamed-case', replaced(case_start, '[case0]'), 'must be [case1]'
    if is25:
        yield 'per-case-eal-args', '\n'.join(lines[:case_start + 1] + [lines[j]] +
                                            lines[case_start + 1:]), 'not read'
        yield 'enq-deq-ops', '\n'.join(lines[:case_start + 1] + ['use_enq_deq_ops=1'] +
                                      lines[case_start + 1:]), 'use_enq_deq_ops'
        yield 'no-global', '\n'.join(l for l in lines if l.strip() != '[GLOBAL]'), ''
    else:
        yield 'global-section', '[GLOBAL]\neal_args=-l 0-1\ncache_flush=0\ntest_seconds=1\n' \
            + text, 'named for 24.11'


def self_test(paths, opts):
    ok = True
    for path in config_files(paths):
        with open(path) as fh:
            text = fh.read()
        base = os.path.basename(path)
        f = check_text(text, path, opts)
        ok &= report('dma_perf_configs_selftest/%s/as-shipped' % base, f)
        for label, broken, expect in mutations(text):
            f = check_text(broken, path, opts)
            caught = bool(f.errors) and any(expect in e for e in f.errors)
            print('%s dma_perf_configs_selftest/%s/%s' % ('PASS' if caught else 'FAIL',
                                                          base, label))
            if not caught:
                ok = False
                print('  expected an error containing %r, got: %s' % (
                    expect, f.errors or 'none'))
    return ok


def main(argv):
    opts = Options()
    paths, selftest = [], False
    it = iter(argv)
    for a in it:
        if a == '--desc-size':
            opts.desc_size = int(next(it), 0)
        elif a == '--ep-mem':
            base, size = next(it).split(':')
            opts.ep_mem = (int(base, 0), int(size, 0))
        elif a == '--eal':
            opts.eal = next(it)
        elif a == '--self-test':
            selftest = True
        elif a in ('-h', '--help'):
            print(__doc__)
            return 0
        else:
            paths.append(a)
    if not paths:
        print(__doc__, file=sys.stderr)
        return 2
    if selftest:
        return 0 if self_test(paths, opts) else 1
    ok = True
    files = config_files(paths)
    if not files:
        print('FAIL dma_perf_configs/none: no *.ini or *.ini.in in %s' % ' '.join(paths))
        return 1
    for path in files:
        with open(path) as fh:
            f = check_text(fh.read(), path, opts)
        ok &= report('dma_perf_configs/%s' % os.path.basename(path), f)
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
