namespace Learning.Api.Http;

/// <summary>The contract's page shape: <c>{results, next_cursor}</c>, <c>next_cursor</c> null on the last page.</summary>
public sealed record PageResponse<T>(IReadOnlyList<T> Results, string? NextCursor);
