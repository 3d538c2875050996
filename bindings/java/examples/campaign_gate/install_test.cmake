# Installs the "java" component into PREFIX, then runs campaigngate.Main
# with the installed pip.jar and libpip_jni.so only (no pip.jni.library:
# System.loadLibrary finds it on java.library.path), and compares its
# output with EXPECTED.
file(REMOVE_RECURSE ${PREFIX})
execute_process(
  COMMAND ${CMAKE} --install ${BUILD} --component java --prefix ${PREFIX}
  OUTPUT_QUIET RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cmake --install --component java failed")
endif()
foreach(f ${JAR_DIR}/pip.jar ${JNI_DIR}/libpip_jni.so)
  if(NOT EXISTS ${PREFIX}/${f})
    message(FATAL_ERROR "missing from the package: ${f}")
  endif()
endforeach()
execute_process(
  COMMAND ${JAVA} -Djava.library.path=${PREFIX}/${JNI_DIR}
          -cp ${PREFIX}/${JAR_DIR}/pip.jar:${EXAMPLE_JAR} campaigngate.Main
  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
file(REMOVE_RECURSE ${PREFIX})
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "campaigngate.Main exited with ${rc}:\n${err}")
endif()
file(READ ${EXPECTED} expected)
if(NOT out STREQUAL expected)
  message(FATAL_ERROR "campaigngate.Main printed:\n${out}\nexpected:\n${expected}")
endif()
message(STATUS "installed binding: ${out}")
