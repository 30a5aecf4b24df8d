"""Tiny HTTP server on 127.0.0.1 for the job tests: serves files from a folder
(GET) and stores each POSTed body as post-N.json in it. Writes its port to
the file given as second argument once it listens."""
import http.server
import os
import sys

root, port_file = sys.argv[1], sys.argv[2]


class Handler(http.server.SimpleHTTPRequestHandler):
    posts = 0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=root, **kwargs)

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        Handler.posts += 1
        with open(os.path.join(root, "post-%d.json" % Handler.posts), "wb") as f:
            f.write(body)
        with open(os.path.join(root, "post-%d.type" % Handler.posts), "w") as f:
            f.write(self.headers.get("Content-Type", ""))
        self.send_response(201)
        self.end_headers()

    def log_message(self, *args):
        pass


server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
with open(port_file + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(port_file + ".tmp", port_file)
server.serve_forever()
