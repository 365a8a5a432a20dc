# Compiles a file that holds one #include with the include path of one library, as the build
# would, and checks the outcome the layering asks for (cmake/Layer.cmake):
#   refused: the header is not on the library's include path, so the compile fails on that very
#            line (a header of a floor above, or of a sibling floor);
#   allowed: it compiles (a header of the library's own floor or of one below).
# -DCXX= -DINCLUDES=a|b|c -DDEFINES=x|y -DHEADER= -DEXPECT=refused|allowed -DWORK= -DNAME=
string(REPLACE "|" ";" includes "${INCLUDES}")
string(REPLACE "|" ";" defines "${DEFINES}")
set(flags "")
foreach(dir IN LISTS includes)
    list(APPEND flags "-I${dir}")
endforeach()
foreach(def IN LISTS defines)
    list(APPEND flags "-D${def}")
endforeach()
file(MAKE_DIRECTORY ${WORK})
set(source ${WORK}/${NAME}.cpp)
file(WRITE ${source} "#include \"${HEADER}\"\n")
execute_process(COMMAND ${CXX} -std=c++23 -fsyntax-only ${flags} ${source}
                RESULT_VARIABLE rc ERROR_VARIABLE err OUTPUT_QUIET)
if(EXPECT STREQUAL "refused")
    if(rc EQUAL 0)
        message(FATAL_ERROR "${HEADER} compiles with this library's include path: an include "
                            "that runs back up is not refused")
    endif()
    string(FIND "${err}" "${HEADER}: No such file or directory" at)
    if(at EQUAL -1)
        message(FATAL_ERROR "the compile failed, but not because ${HEADER} is out of reach:\n${err}")
    endif()
    message(STATUS "refused, as it must be: ${err}")
else()
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "${HEADER} does not compile with this library's include path:\n${err}")
    endif()
endif()
