package syncproto

// SizeClasses are the sizes a sealed batch is padded to, smallest first: the server, and anyone
// who watches the traffic, learns which class a batch falls in and not how many answers it
// holds. Without padding a batch was exactly 47 + 148 bytes per answer.
var SizeClasses = [...]int{1 << 10, 4 << 10, 16 << 10, 64 << 10, MaxBatchBytes}

// Pad returns plain with JSON whitespace appended, so that once sealed (SealOverhead more bytes)
// it is exactly the smallest size class that holds it. A JSON decoder skips trailing whitespace,
// so apps that do not pad read padded batches as they always did. A plaintext too large for
// every class comes back as it is (the client never packs one).
func Pad(plain []byte) []byte {
	for _, class := range SizeClasses {
		if n := class - SealOverhead; len(plain) <= n {
			out := make([]byte, n)
			copy(out, plain)
			for i := len(plain); i < n; i++ {
				out[i] = ' '
			}
			return out
		}
	}
	return plain
}
