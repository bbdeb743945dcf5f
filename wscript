# -*- Mode: python; py-indent-offset: 4; indent-tabs-mode: nil; coding: utf-8; -*-
# edge-llm for waf-era ns-3 trees (3.35 and older), as contrib/edge-llm or src/edge-llm.
# The lists of sources, headers and tests are read from CMakeLists.txt, so both builds share one.
import os
import re


def _cmake_list(name):
    here = os.path.dirname(os.path.abspath(__file__))
    text = open(os.path.join(here, 'CMakeLists.txt')).read()
    match = re.search(r'set\(\s*' + re.escape(name) + r'\s+([^)]*)\)', text)
    if match is None:
        raise RuntimeError('edge-llm: list %s not found in CMakeLists.txt' % name)
    items = [item for item in match.group(1).split() if not item.startswith('#')]
    # The OFDMA cell's files are appended from their own fragment (the LibTorch engine's are
    # not built by waf: LibTorch is optional and CMake-only).
    fragment = open(os.path.join(here, 'cmake', 'edge-llm-ofdma.cmake')).read()
    for extra in re.finditer(r'list\(\s*APPEND\s+' + re.escape(name) + r'\s+([^)]*)\)', fragment):
        items += [item for item in extra.group(1).split() if not item.startswith('#')]
    return items


def _ns3_modules():
    text = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'CMakeLists.txt')).read()
    return sorted(set(re.findall(r'\$\{lib([a-z0-9-]+)\}', text)) - {'edge-llm'})


def configure(conf):
    conf.env.append_unique('CXXFLAGS', ['-std=c++17'])
    conf.check_cfg(package='eigen3', uselib_store='EIGEN3', args=['--cflags'], mandatory=True)
    conf.check_cfg(package='nlohmann_json', uselib_store='NLOHMANN_JSON', args=['--cflags'],
                   mandatory=True)
    conf.env.append_unique('DEFINES_EDGE_LLM_PATHS',
                           ['EDGE_LLM_SOURCE_DIR="%s"' % conf.path.abspath()])


def build(bld):
    module = bld.create_ns3_module('edge-llm', _ns3_modules())
    module.source = _cmake_list('edge_llm_sources')
    module.use += ['EIGEN3', 'NLOHMANN_JSON', 'EDGE_LLM_PATHS']

    module_test = bld.create_ns3_module_test_library('edge-llm')
    module_test.source = _cmake_list('edge_llm_test_sources')
    module_test.use += ['EIGEN3', 'NLOHMANN_JSON', 'EDGE_LLM_PATHS']

    headers = bld(features='ns3header')
    headers.module = 'edge-llm'
    headers.source = _cmake_list('edge_llm_headers')

    if bld.env.ENABLE_EXAMPLES:
        bld.recurse('examples')
