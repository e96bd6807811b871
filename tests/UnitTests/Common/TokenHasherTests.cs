using Learning.Common;

namespace Learning.UnitTests.Common;

public sealed class TokenHasherTests
{
    [Fact]
    public void Tokens_are_kept_as_the_upper_case_hex_sha256_of_their_utf8_text()
    {
        Assert.Equal("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD", TokenHasher.Hash("abc"));
        Assert.NotEqual(TokenHasher.Hash("token-a"), TokenHasher.Hash("token-b"));
    }
}
