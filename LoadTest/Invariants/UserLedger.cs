namespace Learning.LoadTest.Invariants;

/// <summary>
/// What the server told the tester it did for one user: the devices it acknowledged (registered or transferred to),
/// the 201s it answered, and every session token it handed out. The invariant check holds the server to it.
/// Several virtual users (the devices of a contention account) write one ledger, hence the lock.
/// </summary>
public sealed class UserLedger
{
    private readonly object gate = new();
    private readonly HashSet<string> devices = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> sessions = new(StringComparer.Ordinal);

    public int DevicesCreated { get; private set; }

    public int Transfers { get; private set; }

    public int SessionsStarted { get; private set; }

    public void DeviceAcknowledged(string deviceId, bool created)
    {
        lock (gate)
        {
            devices.Add(deviceId);
            DevicesCreated += created ? 1 : 0;
        }
    }

    public void Transferred(string deviceId)
    {
        lock (gate)
        {
            devices.Add(deviceId);
            Transfers++;
        }
    }

    public void SessionStarted(string token)
    {
        lock (gate)
        {
            sessions[token] = 0;
            SessionsStarted++;
        }
    }

    /// <summary>The last position sent for a session, so the check's own heartbeat never moves it backwards.</summary>
    public void Beat(string token, double position)
    {
        lock (gate)
        {
            sessions[token] = position;
        }
    }

    public IReadOnlyList<string> Devices()
    {
        lock (gate)
        {
            return [.. devices];
        }
    }

    public IReadOnlyList<KeyValuePair<string, double>> Sessions()
    {
        lock (gate)
        {
            return [.. sessions];
        }
    }
}
