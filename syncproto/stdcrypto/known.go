package stdcrypto

// Known answers of the derivation and the seal, for code 00 01 02 … 0f and a zero nonce: every
// implementation must reproduce them (see TestDeriveGivesTheKnownKeysOfAKnownCode).
const (
	KnownID       = "79900ca62330bdba8f07cf027fc9c023"
	KnownLegacyID = "922ecd3af06d4c367e0fba5eec71fbd3"
	KnownToken    = "SigVdRTHV79GWOMXnfo2Ko7NcRpvXOVKip4kVw1SISg"
	KnownPlain    = `{"v":1,"events":[]}`
	KnownSealed   = "01000000000000000000000000d8ba4192adfe42456878d2fa650acf1f5fb76eea568379e01ddc1956aac1619c4a52e8"
)
