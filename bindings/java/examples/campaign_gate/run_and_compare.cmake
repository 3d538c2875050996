# Runs campaigngate.Main and compares its output with EXPECTED line by line.
execute_process(
  COMMAND ${JAVA} ${JNI_FLAG} -cp ${CLASSPATH} campaigngate.Main
  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "campaigngate.Main exited with ${rc}:\n${err}")
endif()
file(READ ${EXPECTED} expected)
if(NOT out STREQUAL expected)
  message(FATAL_ERROR "campaigngate.Main printed:\n${out}\nexpected:\n${expected}")
endif()
message(STATUS "${out}")
