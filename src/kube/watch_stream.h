#pragma once
// The body of a watch as it arrives: newline-delimited JSON `{"type": …, "object": …}` events,
// cut anywhere by the network. Pure: chunks in, whole events out.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kube/kube_client.h"

namespace fusion {

class WatchStream {
 public:
  /// One decoded line: an event, or the server's error (a Status in an ERROR event, e.g. 410
  /// Gone when the version to resume from was compacted).
  struct Item {
    std::optional<WatchEvent> event;
    std::optional<ApiError> error;
  };

  /// Takes the next chunk and returns the items its complete lines finish.
  std::vector<Item> feed(std::string_view chunk);
  /// The resourceVersion of the last event or bookmark seen; where to resume.
  const std::string& resource_version() const { return resource_version_; }
  void resume_from(std::string resource_version) {
    resource_version_ = std::move(resource_version);
  }

 private:
  Item decode(std::string_view line);

  std::string pending_;
  std::string resource_version_;
};

}  // namespace fusion
