namespace Learning.Common;

/// <summary>
/// The outcome of a grain command: a value, or a <see cref="Failure"/> the API maps to an HTTP problem.
/// Rule violations travel as values, not exceptions, so they cost nothing and cannot be mistaken for faults.
/// </summary>
[GenerateSerializer, Immutable, Alias("result`1")]
public sealed record Result<T>
{
    [Id(0)] public T? Value { get; init; }
    [Id(1)] public Failure? Error { get; init; }

    public bool Succeeded => Error is null;

    public static implicit operator Result<T>(T value) => new() { Value = value };
    public static implicit operator Result<T>(Failure error) => new() { Error = error };
}

/// <summary>A command that succeeded with nothing to return.</summary>
[GenerateSerializer, Immutable, Alias("done")]
public sealed record Done
{
    public static readonly Done Instance = new();
}

public static class Result
{
    /// <summary>For values typed as interfaces, which C# will not convert implicitly.</summary>
    public static Result<T> Of<T>(T value) => new() { Value = value };
}
