# Runs PROGRAM with ARGS (a ;-list) twice into two folders and passes only if FILE is
# byte-identical in both (same seed, same output); then with RUN_ARGS added and passes only if
# FILE differs (the ns-3 run number reaches the network's draws).
foreach(pass first second)
  execute_process(COMMAND ${PROGRAM} ${ARGS} --outputDir=${OUTPUT}/${pass} RESULT_VARIABLE result
                  OUTPUT_QUIET ERROR_VARIABLE error)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "${pass} run failed (exit ${result}): ${error}")
  endif()
endforeach()
execute_process(COMMAND ${PROGRAM} ${ARGS} ${RUN_ARGS} --outputDir=${OUTPUT}/other
                RESULT_VARIABLE result OUTPUT_QUIET ERROR_VARIABLE error)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "run with ${RUN_ARGS} failed (exit ${result}): ${error}")
endif()
file(READ ${OUTPUT}/first/${FILE} first)
file(READ ${OUTPUT}/second/${FILE} second)
file(READ ${OUTPUT}/other/${FILE} other)
if(NOT first STREQUAL second)
  message(FATAL_ERROR "${FILE} differs between two runs with the same seed")
endif()
if(first STREQUAL other)
  message(FATAL_ERROR "${FILE} is the same with ${RUN_ARGS}: the run number reaches nothing")
endif()
message(STATUS "${FILE} identical with the same seed, different with ${RUN_ARGS}")
