# Writes a copy of one proto/pip/v1/*.proto file under another protobuf
# package, for libpip_c.so (see "The C API" in CMakeLists.txt). Run with
# cmake -DINPUT=<proto> -DOUTPUT=<copy> -DPACKAGE=<name> -P this file.
#
# Every process has one table of protobuf descriptors, in libprotobuf.so.
# libpip.a registers pip/v1/*.proto as package pip.v1; libpip_c.so carries
# its own compiled copy of pip, and registering the same files and names
# again makes protobuf abort ("File already exists in database"). So the C
# library's copy is generated from these copies: file names
# <PACKAGE>/v1/*.proto, package <PACKAGE>.v1, and the one extension of
# google.protobuf.FieldOptions (pip.v1.personal, 50001) under a number of
# its own, since an extension number may be registered only once per
# extended message. The messages and their fields are unchanged, so their
# wire bytes and JSON are those of pip.v1.
cmake_minimum_required(VERSION 3.25)

foreach(var INPUT OUTPUT PACKAGE)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "${var} is not set")
  endif()
endforeach()

file(READ "${INPUT}" text)

# Replaces exactly `count` occurrences of `from`, or stops the build: a
# change of the .proto files that this copy does not foresee must be looked
# at, not copied silently.
function(replace_counted from to count)
  string(REGEX MATCHALL "${from}" found "${text}")
  list(LENGTH found n)
  if(NOT n EQUAL count)
    message(FATAL_ERROR "${INPUT}: expected ${count} match(es) of '${from}', "
            "found ${n}; update cmake/capi_proto_package.cmake")
  endif()
  string(REGEX REPLACE "${from}" "${to}" text "${text}")
  set(text "${text}" PARENT_SCOPE)
endfunction()

replace_counted("\npackage pip\\.v1" "\npackage ${PACKAGE}.v1" 1)
string(REGEX MATCHALL "\nimport \"pip/v1/" imports "${text}")
list(LENGTH imports import_count)
replace_counted("\nimport \"pip/v1/" "\nimport \"${PACKAGE}/v1/" ${import_count})
# (A fully qualified reference to pip.v1 left in a copy names a package
# the copy does not import, which protoc refuses.)
string(REGEX MATCHALL "\nextend " extends "${text}")
list(LENGTH extends extend_count)
if(extend_count GREATER 0)
  replace_counted("\nextend " "\nextend " 1)
  replace_counted("  bool personal = 50001" "  bool personal = 50901" 1)
endif()

file(WRITE "${OUTPUT}.tmp" "${text}")
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
