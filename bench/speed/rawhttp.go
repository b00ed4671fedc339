package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"time"
)

// rawClient is the timed runs' HTTP/1.1 client: one keep-alive
// connection, a GET written by hand, and the response read by its
// Content-Length. The load generator shares the server's two cores, and
// net/http's client took 0.24 ms of CPU per request there, 40% of what
// the server itself spent: a load generator should be as light as it can
// be (as wrk and h2load are), so that the server gets the machine. The
// server still parses every request and writes every response in full.
type rawClient struct {
	addr string // host:port
	conn net.Conn
	r    *bufio.Reader
	w    *bufio.Writer
	body []byte
}

func newRawClient(base string) *rawClient {
	return &rawClient{addr: base[len("http://"):]}
}

// get sends GET path and returns the status and body, valid until the
// next call. Any error closes the connection; the next call dials again.
func (c *rawClient) get(path string) (int, []byte, error) {
	status, body, err := c.roundTrip(path)
	if err != nil && c.conn != nil {
		c.conn.Close()
		c.conn = nil
	}
	return status, body, err
}

func (c *rawClient) roundTrip(path string) (int, []byte, error) {
	if c.conn == nil {
		conn, err := net.DialTimeout("tcp", c.addr, 5*time.Second)
		if err != nil {
			return 0, nil, err
		}
		c.conn, c.r, c.w = conn, bufio.NewReaderSize(conn, 64<<10), bufio.NewWriter(conn)
	}
	c.conn.SetDeadline(time.Now().Add(30 * time.Second))
	fmt.Fprintf(c.w, "GET %s HTTP/1.1\r\nHost: %s\r\n\r\n", path, c.addr)
	if err := c.w.Flush(); err != nil {
		return 0, nil, err
	}
	line, err := c.r.ReadSlice('\n')
	if err != nil {
		return 0, nil, err
	}
	// "HTTP/1.1 200 OK"
	f := bytes.Fields(line)
	if len(f) < 2 || !bytes.HasPrefix(f[0], []byte("HTTP/1.")) {
		return 0, nil, fmt.Errorf("bad status line %q", line)
	}
	status, err := strconv.Atoi(string(f[1]))
	if err != nil {
		return 0, nil, fmt.Errorf("bad status line %q", line)
	}
	length := -1
	for {
		line, err := c.r.ReadSlice('\n')
		if err != nil {
			return 0, nil, err
		}
		line = bytes.TrimRight(line, "\r\n")
		if len(line) == 0 {
			break
		}
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			return 0, nil, fmt.Errorf("bad header %q", line)
		}
		switch {
		case bytes.EqualFold(name, []byte("Content-Length")):
			if length, err = strconv.Atoi(string(bytes.TrimSpace(value))); err != nil || length < 0 {
				return 0, nil, fmt.Errorf("bad Content-Length %q", value)
			}
		case bytes.EqualFold(name, []byte("Transfer-Encoding")):
			return 0, nil, errors.New("chunked response: the search responses have a Content-Length")
		}
	}
	if length < 0 {
		return 0, nil, errors.New("response without Content-Length")
	}
	if cap(c.body) < length {
		c.body = make([]byte, length)
	}
	c.body = c.body[:length]
	if _, err := io.ReadFull(c.r, c.body); err != nil {
		return 0, nil, err
	}
	return status, c.body, nil
}
