#pragma once
// A failed call to the Kubernetes API, typed from the `Status` object the server returns, so a
// caller can tell a conflict from a missing object and a person reads which field of which
// object was refused and why.

#include <string>
#include <vector>

#include "kube/http_transport.h"

namespace fusion {

struct ApiErrorCause {
  std::string field;   ///< ".spec.ports[0].protocol"; empty when the cause names none
  std::string reason;  ///< "FieldValueRequired", "FieldManagerConflict", …
  std::string message;
};

struct ApiError {
  int code = 0;        ///< HTTP status; 0 when the server was not reached
  std::string reason;  ///< "NotFound", "Conflict", "Invalid", "Expired", "Forbidden", …
  std::string message;
  std::vector<ApiErrorCause> causes;

  bool not_found() const { return code == 404; }
  bool conflict() const { return code == 409; }
  bool gone() const { return code == 410 || reason == "Expired"; }
  bool invalid() const { return code == 422; }
  bool unreachable() const { return code == 0; }

  /// The managers another field manager conflicts with, from a 409 of a server-side apply:
  /// `conflict with "kubectl-edit": .spec.replicas` gives {"kubectl-edit"}.
  std::vector<std::string> conflicting_managers() const;
  /// One paragraph for a person: "422 Invalid: Service "web" is invalid: …" then each cause
  /// with its field on a line of its own.
  std::string describe() const;
};

/// The error a non-2xx response stands for: its `Status` body when it has one, else the code
/// and the text of the body.
ApiError api_error_from_response(const HttpResponse& response);

}  // namespace fusion
