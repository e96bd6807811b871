namespace Learning.Api.Auth;

/// <summary>The contract's token pair.</summary>
public sealed record TokenPair(string Access, string Refresh, string TokenType, int ExpiresIn);
