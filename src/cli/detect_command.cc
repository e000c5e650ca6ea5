// fusion detect [DIR] [--json] [--explain]: what each project under DIR is, from its files, with
// the file and line that said so, and why its type won over the others its files suggest. Exit 1
// when nothing under DIR was recognised.

#include "cli/commands.h"
#include "cli/session.h"
#include "detect/detect.h"
#include "detect/detection_report.h"

namespace fusion {
namespace {

class DetectCommand : public Command {
 public:
  void configure(CLI::App& app) override {
    app.add_option("dir", dir_, "The folder to scan (default: the current one)");
    app.add_flag("--json", json_, "Print the detections as JSON");
    app.add_flag("--explain", explain_,
                 "Show every candidate project type's score and the evidence that counted");
  }

  int run(const GlobalOptions&, Streams& io) override {
    std::filesystem::path root = std::filesystem::absolute(dir_).lexically_normal();
    auto snapshot = load_snapshot(root);
    if (!snapshot) return report_error(io, snapshot.error());
    std::string root_name = (root.has_filename() ? root : root.parent_path()).filename().string();
    std::vector<Detection> detections = detect_projects(*snapshot, root_name);
    // Sources need not be UTF-8: invalid bytes in evidence print as U+FFFD, not as an error.
    io.out << (json_ ? detections_to_json(detections)
                               .dump(2, ' ', false, nlohmann::json::error_handler_t::replace) +
                           "\n"
                     : render_detections(detections, explain_));
    bool any = std::any_of(detections.begin(), detections.end(),
                           [](const Detection& d) { return d.recognised(); });
    return any ? kExitOk : kExitFailure;
  }

 private:
  std::string dir_ = ".";
  bool json_ = false;
  bool explain_ = false;
};

}  // namespace

std::unique_ptr<Command> make_detect_command() { return std::make_unique<DetectCommand>(); }

}  // namespace fusion
