# bpf_object(NAME SOURCE [DEFINES d...])
# Compiles SOURCE with clang -target bpf into NAME.bpf.o and generates NAME.skel.h with bpftool,
# so the hookmatrix binary carries the program bytes and gets typed access to maps and globals.
find_program(CLANG_BPF NAMES clang clang-14 REQUIRED)
find_program(BPFTOOL NAMES bpftool PATHS /usr/sbin /sbin REQUIRED)
execute_process(COMMAND ${CMAKE_C_COMPILER} -print-multiarch
                OUTPUT_VARIABLE HM_MULTIARCH OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT HM_MULTIARCH)
    set(HM_MULTIARCH x86_64-linux-gnu)
endif()
set(HM_SKEL_DIR ${CMAKE_BINARY_DIR}/skel)
file(MAKE_DIRECTORY ${HM_SKEL_DIR})

function(bpf_object NAME SOURCE)
    cmake_parse_arguments(ARG "" "" "DEFINES" ${ARGN})
    set(obj ${HM_SKEL_DIR}/${NAME}.bpf.o)
    set(skel ${HM_SKEL_DIR}/${NAME}.skel.h)
    set(defs "")
    foreach(d IN LISTS ARG_DEFINES)
        list(APPEND defs -D${d})
    endforeach()
    add_custom_command(
        OUTPUT ${obj}
        COMMAND ${CLANG_BPF} -g -O2 -target bpf -Wall -Werror ${defs}
                -I${CMAKE_SOURCE_DIR}/bpf/include -I/usr/include/${HM_MULTIARCH}
                -c ${CMAKE_CURRENT_SOURCE_DIR}/${SOURCE} -o ${obj}
        DEPENDS ${SOURCE} ${CMAKE_SOURCE_DIR}/bpf/include/hookmatrix/event.h
                ${CMAKE_SOURCE_DIR}/bpf/include/hookmatrix/throughput.h
                ${CMAKE_SOURCE_DIR}/bpf/include/hookmatrix/xdp_frames.h
        COMMENT "BPF ${NAME}.bpf.o"
        VERBATIM)
    add_custom_command(
        OUTPUT ${skel}
        COMMAND ${BPFTOOL} gen skeleton ${obj} name ${NAME} > ${skel}
        DEPENDS ${obj}
        COMMENT "skeleton ${NAME}.skel.h"
        VERBATIM)
    set_property(GLOBAL APPEND PROPERTY HM_SKELETONS ${skel})
endfunction()
