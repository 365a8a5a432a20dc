#pragma once
// Users' own BPF objects (--object), attached instead of the probe. Hand-written objects are
// welcome as they come: any section name (SEC("hello")), built with clang | llc, with or without
// BTF. hookmatrix sets the program type (and expected attach type) the hook needs, whatever the
// section says.
#include "core/error.h"
#include "matrix/hooks.h"
#include "runners/programs/program.h"

#include <map>
#include <memory>
#include <string>

namespace hm {

struct UserObject {
    std::string path;
    std::string section; // the program's section (or its name); empty: the object's only program
};

// The objects of a run, by hook name; "*" for every hook without one of its own.
using UserObjects = std::map<std::string, UserObject>;

Result<std::unique_ptr<Program>> load_user_program(const UserObject& object, const HookSpec& hook);

// What load_user_program checks before the kernel sees anything: the file is a BPF object and
// holds the program the user chose. Nothing is loaded, so a run checks this before it starts.
Status check_user_object(const UserObject& object);

} // namespace hm
