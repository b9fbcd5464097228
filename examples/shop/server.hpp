// The HTTP side of the shop: binds 127.0.0.1, serves HTTP/1.1 keep-alive connections on one thread, routes
// /up and /orders/<id> (the latter to Shop), and stops on SIGTERM or SIGINT. Asio and Beast stay inside.
#pragma once

#include "chunks.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace shop {

class Server {
  public:
    explicit Server(Shop& shop);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Binds 127.0.0.1:port (0: any free port); the reason when it cannot.
    std::optional<std::string> listen(std::uint16_t port);

    std::uint16_t bound_port() const;

    // Serves until SIGTERM or SIGINT arrives; returns the signal's name. Open connections are closed.
    std::string_view serve_until_signal();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace shop
