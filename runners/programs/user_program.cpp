#include "runners/programs/user_program.h"

#include "core/kernel_release.h"
#include "runners/programs/libbpf_log.h"

#include <bpf/libbpf.h>

namespace hm {

namespace {
struct CloseObject {
    void operator()(bpf_object* o) const noexcept { bpf_object__close(o); }
};
using BpfObject = std::unique_ptr<bpf_object, CloseObject>;

// The object owns its programs: closing it unloads the one loaded.
class UserProgram final : public Program {
public:
    UserProgram(BpfObject obj, bpf_program* prog, std::string text)
        : obj_(std::move(obj)), prog_(prog), text_(std::move(text)) {}
    int fd() const override { return bpf_program__fd(prog_); }
    std::string describe() const override { return text_; }

private:
    BpfObject obj_;
    bpf_program* prog_;
    std::string text_;
};
} // namespace

namespace {
struct Opened {
    BpfObject owner;
    bpf_program* chosen = nullptr;
};

// The object opened (parsed, nothing loaded into the kernel) and the program the user chose.
Result<Opened> open_and_choose(const UserObject& object, LibbpfLogCapture& log) {
    BpfObject owner(bpf_object__open_file(object.path.c_str(), nullptr));
    if (!owner) {
        const int err = errno;
        char text[128] = "";
        libbpf_strerror(err, text, sizeof text);
        return fail("open BPF object " + object.path + ": " + text +
                        " (expected an ELF object built with clang -target bpf)",
                    0, log.take());
    }
    bpf_object* obj = owner.get();
    bpf_program* chosen = nullptr;
    std::string sections;
    int count = 0;
    bpf_program* prog = nullptr;
    bpf_object__for_each_program(prog, obj) {
        ++count;
        const std::string sec = bpf_program__section_name(prog);
        const std::string name = bpf_program__name(prog);
        sections += (sections.empty() ? "" : ", ") + sec + " (" + name + ")";
        if (!object.section.empty() && (sec == object.section || name == object.section))
            chosen = prog;
    }
    if (object.section.empty() && count == 1)
        chosen = bpf_object__next_program(obj, nullptr);
    if (!chosen) {
        const std::string what =
            object.section.empty()
                ? object.path + " holds " + std::to_string(count) +
                      " programs; name one with "
                      "--section or HOOK=FILE.o:SECTION"
                : "no program in section or named '" + object.section + "' in " + object.path;
        return fail(what, 0, "programs: " + (sections.empty() ? std::string("none") : sections));
    }
    return Opened{std::move(owner), chosen};
}
} // namespace

Status check_user_object(const UserObject& object) {
    LibbpfLogCapture log;
    auto opened = open_and_choose(object, log);
    if (!opened)
        return std::unexpected(opened.error());
    return {};
}

Result<std::unique_ptr<Program>> load_user_program(const UserObject& object, const HookSpec& hook) {
    LibbpfLogCapture log;
    auto opened = open_and_choose(object, log);
    if (!opened)
        return std::unexpected(opened.error());
    BpfObject owner = std::move(opened->owner);
    bpf_object* obj = owner.get();
    bpf_program* chosen = opened->chosen;
    bpf_program* prog = nullptr;
    // Only the chosen program is loaded: the others may be meant for other hooks or types.
    bpf_object__for_each_program(prog, obj) bpf_program__set_autoload(prog, prog == chosen);
    prepare_for_hook(chosen, hook);
    const std::string label = std::string(bpf_program__section_name(chosen));
    if (int e = bpf_object__load(obj); e < 0)
        return fail("load " + object.path + " section " + label + " as " +
                        type_name(hook.prog_type) + " for " + std::string(hook.name),
                    -e, log.take());
    remember_loaded(obj);
    std::string text = object.path + " section " + label + " (" + type_name(hook.prog_type) + ")";
    return std::make_unique<UserProgram>(std::move(owner), chosen, std::move(text));
}

} // namespace hm
