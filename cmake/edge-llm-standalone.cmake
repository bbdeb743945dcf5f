# Standalone build of edge-llm against an installed ns-3 (Debian 12: libns3-dev 3.37).
#
# Provides build_lib and build_lib_example with the argument names of ns-3's own macros, so the
# module's CMakeLists.txt serves both builds. Headers are copied to <build>/include/ns3/ as
# ns-3 does, a module header edge-llm-module.h is generated, tests are compiled into one
# test runner built on ns3::TestRunner, and CTest gets one test per ns-3 TestSuite.

if(NOT CMAKE_BUILD_TYPE AND NOT CMAKE_CONFIGURATION_TYPES)
  set(CMAKE_BUILD_TYPE Release CACHE STRING "Build type" FORCE)
endif()
set(CMAKE_CXX_STANDARD 17)
set(CMAKE_CXX_STANDARD_REQUIRED ON)
set(CMAKE_CXX_EXTENSIONS OFF)
set(CMAKE_POSITION_INDEPENDENT_CODE ON)

find_program(EDGE_LLM_CCACHE ccache)
if(EDGE_LLM_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  set(CMAKE_CXX_COMPILER_LAUNCHER ${EDGE_LLM_CCACHE})
endif()

# ns-3's package version file accepts only an exact match, so ask without a version and check.
find_package(ns3 REQUIRED)
if(ns3_VERSION VERSION_LESS 3.36)
  message(FATAL_ERROR "edge-llm needs ns-3 3.36 or newer with CMake packages; found ${ns3_VERSION}")
endif()
message(STATUS "edge-llm: standalone build against ns-3 ${ns3_VERSION}")

option(EDGE_LLM_ENABLE_EXAMPLES "Build the edge-llm examples" ON)
option(EDGE_LLM_ENABLE_TESTS "Build the edge-llm test runner and register its suites with CTest" ON)
option(EDGE_LLM_ENABLE_ASSERTS
       "Compile NS_ASSERT and NS_LOG into edge-llm's own targets (Debian's ns-3 has asserts off)" ON)

# The names ns-3's CMakeLists use for module libraries, mapped to the installed targets.
foreach(
  module
  antenna
  applications
  bridge
  buildings
  core
  csma
  energy
  flow-monitor
  internet
  lte
  mobility
  network
  point-to-point
  propagation
  spectrum
  stats
  traffic-control
  wifi
)
  set(lib${module} ns3::lib${module})
endforeach()

set(EDGE_LLM_HEADER_OUTPUT_DIR ${CMAKE_BINARY_DIR}/include/ns3)
enable_testing()

function(edge_llm_apply_common_options target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wno-unused-parameter)
  if(EDGE_LLM_ENABLE_ASSERTS)
    target_compile_definitions(${target} PRIVATE NS3_ASSERT_ENABLE NS3_LOG_ENABLE)
  endif()
endfunction()

function(build_lib)
  cmake_parse_arguments(
    "BLIB" "IGNORE_PCH" "LIBNAME"
    "SOURCE_FILES;HEADER_FILES;LIBRARIES_TO_LINK;TEST_SOURCES;PRIVATE_HEADER_FILES" ${ARGN}
  )
  set(target lib${BLIB_LIBNAME})
  set(lib${BLIB_LIBNAME} ${target} PARENT_SCOPE)
  set(lib${BLIB_LIBNAME} ${target})

  # Public headers land flat in <build>/include/ns3, as in an ns-3 tree.
  set(module_includes "")
  foreach(header ${BLIB_HEADER_FILES} ${BLIB_PRIVATE_HEADER_FILES})
    get_filename_component(header_name ${header} NAME)
    configure_file(${CMAKE_CURRENT_SOURCE_DIR}/${header} ${EDGE_LLM_HEADER_OUTPUT_DIR}/${header_name}
                   COPYONLY
    )
  endforeach()
  foreach(header ${BLIB_HEADER_FILES})
    get_filename_component(header_name ${header} NAME)
    string(APPEND module_includes "#include \"${header_name}\"\n")
  endforeach()
  string(TOUPPER "${BLIB_LIBNAME}" guard)
  string(REPLACE "-" "_" guard "${guard}")
  file(
    WRITE ${CMAKE_BINARY_DIR}/module-header.tmp
    "#ifdef NS3_MODULE_COMPILATION\n#error \"Do not include ns3 module aggregator headers from other modules; include the specific headers instead.\"\n#endif\n#ifndef NS3_MODULE_${guard}\n#define NS3_MODULE_${guard}\n${module_includes}#endif\n"
  )
  configure_file(${CMAKE_BINARY_DIR}/module-header.tmp
                 ${EDGE_LLM_HEADER_OUTPUT_DIR}/${BLIB_LIBNAME}-module.h COPYONLY
  )

  add_library(${target} SHARED ${BLIB_SOURCE_FILES})
  set_target_properties(${target} PROPERTIES OUTPUT_NAME ns3-${BLIB_LIBNAME})
  target_include_directories(${target} PUBLIC ${CMAKE_BINARY_DIR}/include)
  target_compile_definitions(${target} PRIVATE NS3_MODULE_COMPILATION)
  target_link_libraries(${target} PUBLIC ${BLIB_LIBRARIES_TO_LINK})
  edge_llm_apply_common_options(${target})

  if(EDGE_LLM_ENABLE_EXAMPLES AND EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/examples/CMakeLists.txt)
    add_subdirectory(examples)
  endif()

  if(EDGE_LLM_ENABLE_TESTS AND BLIB_TEST_SOURCES)
    # ns-3's test-runner is not packaged; ns3::TestRunner::Run is in libcore.
    set(runner_main ${CMAKE_BINARY_DIR}/${BLIB_LIBNAME}-test-runner-main.cc)
    file(WRITE ${runner_main}.tmp
         "#include \"ns3/test.h\"\n\nint\nmain(int argc, char** argv)\n{\n    return ns3::TestRunner::Run(argc, argv);\n}\n"
    )
    configure_file(${runner_main}.tmp ${runner_main} COPYONLY)
    set(runner ${BLIB_LIBNAME}-test-runner)
    add_executable(${runner} ${runner_main} ${BLIB_TEST_SOURCES})
    target_link_libraries(${runner} PRIVATE ${target} ${BLIB_LIBRARIES_TO_LINK})
    target_compile_definitions(${runner} PRIVATE NS_TEST_SOURCEDIR="${CMAKE_CURRENT_SOURCE_DIR}/test")
    edge_llm_apply_common_options(${runner})

    # One CTest test per TestSuite, named as the suite, read from the suites' constructors.
    set(suites "")
    foreach(source ${BLIB_TEST_SOURCES})
      file(READ ${CMAKE_CURRENT_SOURCE_DIR}/${source} contents)
      string(REGEX MATCHALL "TestSuite[ \t\r\n]*\\([ \t\r\n]*\"[a-z0-9-]+\"" found "${contents}")
      foreach(match ${found})
        string(REGEX REPLACE ".*\"([a-z0-9-]+)\"" "\\1" suite "${match}")
        list(APPEND suites ${suite})
      endforeach()
    endforeach()
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${BLIB_TEST_SOURCES})
    # Each suite twice: QUICK (the default run) and EXTENSIVE (label "extensive", for long checks
    # that `make test` leaves out: ctest -LE extensive).
    foreach(suite ${suites})
      add_test(NAME ${suite} COMMAND ${runner} --test-name=${suite} --fullness=QUICK
                                     --tempdir=${CMAKE_BINARY_DIR}/test-output
      )
      add_test(NAME ${suite}-extensive COMMAND ${runner} --test-name=${suite} --fullness=EXTENSIVE
                                               --tempdir=${CMAKE_BINARY_DIR}/test-output
      )
      set_tests_properties(${suite}-extensive PROPERTIES LABELS extensive)
      # suites that time LibTorch on this machine compare the model with measurements: they
      # run alone, not beside another suite loading the second core
      if(suite MATCHES "^edge-llm-(device-calibrator|torch-layer-probe)$")
        set_tests_properties(${suite} ${suite}-extensive PROPERTIES RUN_SERIAL TRUE)
      endif()
    endforeach()
    list(LENGTH suites suite_count)
    message(STATUS "edge-llm: ${suite_count} test suites registered with CTest")
  endif()
endfunction()

function(build_lib_example)
  cmake_parse_arguments("BLIB_EXAMPLE" "IGNORE_PCH" "NAME" "SOURCE_FILES;HEADER_FILES;LIBRARIES_TO_LINK"
                        ${ARGN}
  )
  add_executable(${BLIB_EXAMPLE_NAME} ${BLIB_EXAMPLE_SOURCE_FILES})
  target_link_libraries(${BLIB_EXAMPLE_NAME} PRIVATE ${lib${BLIB_LIBNAME}} ${BLIB_EXAMPLE_LIBRARIES_TO_LINK})
  edge_llm_apply_common_options(${BLIB_EXAMPLE_NAME})
endfunction()
