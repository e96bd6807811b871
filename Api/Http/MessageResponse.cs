namespace Learning.Api.Http;

/// <summary>The contract's <c>{message}</c> answer of commands that return nothing else.</summary>
public sealed record MessageResponse(string Message);
