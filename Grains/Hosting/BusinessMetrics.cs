using System.Diagnostics.Metrics;

namespace Learning.Hosting;

/// <summary>
/// Business events as metrics (meter <c>Learning</c>), recorded by the grains where the outcome is decided.
/// Each counter carries an <c>outcome</c> tag, so one series answers "how many" and "how many refused".
/// </summary>
public sealed class BusinessMetrics
{
    public const string MeterName = "Learning";

    public BusinessMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        Logins = meter.CreateCounter<long>("learning.logins", description: "Login attempts by outcome (success, invalid_credentials, account_locked).");
        DeviceRegistrations = meter.CreateCounter<long>("learning.device_registrations", description: "Device registrations by outcome (created, repeated, conflict).");
        DeviceTransfers = meter.CreateCounter<long>("learning.device_transfers", description: "Device transfers.");
        SessionStarts = meter.CreateCounter<long>("learning.session_starts", description: "Playback starts by outcome (started, conflict, device_not_active).");
        Takeovers = meter.CreateCounter<long>("learning.session_takeovers", description: "Sessions ended by a takeover.");
        Heartbeats = meter.CreateCounter<long>("learning.heartbeats", description: "Heartbeats by outcome (ok, gone, not_found).");
        PasswordHashes = meter.CreateCounter<long>("learning.password_hashes", description: "New password hashes computed (registrations, password changes): the costly step, which a refused registration never reaches.");
        LiveSessions = meter.CreateUpDownCounter<long>("learning.live_sessions", description: "Sessions not yet ended in active user grains of this process.");
    }

    public Counter<long> Logins { get; }
    public Counter<long> DeviceRegistrations { get; }
    public Counter<long> DeviceTransfers { get; }
    public Counter<long> SessionStarts { get; }
    public Counter<long> Takeovers { get; }
    public Counter<long> Heartbeats { get; }
    public UpDownCounter<long> LiveSessions { get; }
    public Counter<long> PasswordHashes { get; }

    public static KeyValuePair<string, object?> Outcome(string outcome) => new("outcome", outcome);
}
