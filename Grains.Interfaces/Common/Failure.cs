namespace Learning.Common;

/// <summary>
/// A refused command: <see cref="Code"/> is the contract's stable machine code (see <see cref="ErrorCodes"/>),
/// the optional members are the extra fields some codes carry.
/// </summary>
[GenerateSerializer, Immutable, Alias("failure")]
public sealed record Failure([property: Id(0)] string Code, [property: Id(1)] string Message)
{
    /// <summary>Seconds a client should wait, for refusals that end by themselves (lockout).</summary>
    [Id(2)] public int? RetryAfterSeconds { get; init; }

    /// <summary>Field errors of a <c>validation_error</c>, keyed by the JSON field name.</summary>
    [Id(3)] public Dictionary<string, string[]>? Errors { get; init; }

    /// <summary>The device that holds the only active slot (<c>active_device_exists</c>).</summary>
    [Id(4)] public ActiveDeviceSummary? ActiveDevice { get; init; }

    /// <summary>The name of the device already playing (<c>session_exists</c>).</summary>
    [Id(5)] public string? ActiveDeviceName { get; init; }

    /// <summary>Why a session is no longer live (<c>session_expired</c>).</summary>
    [Id(6)] public string? Reason { get; init; }

    /// <summary>Wrong codes the pending confirmation still takes (<c>invalid_code</c>).</summary>
    [Id(7)] public int? AttemptsLeft { get; init; }

    public static Failure Validation(string field, string message) =>
        new(ErrorCodes.ValidationError, "The request is not valid.") { Errors = new() { [field] = [message] } };
}

[GenerateSerializer, Immutable, Alias("active-device-summary")]
public sealed record ActiveDeviceSummary(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string DeviceName,
    [property: Id(2)] string Platform);
