using Learning.LoadTest.Http;

namespace Learning.LoadTest.Scenarios;

/// <summary>A lesson as the catalog lists it; its length bounds the positions a viewer reports.</summary>
public sealed record Lesson(string Id, double LengthSeconds);

/// <summary>What every virtual user of a run shares.</summary>
public sealed record ScenarioContext(LearningClient Api, LoadTestOptions Options, IReadOnlyList<Lesson> Lessons)
{
    /// <summary>Exceptions inside the tester (an answer it could not read): a run with any is not trusted.</summary>
    public ClientFaults Faults { get; } = new();
}

/// <summary>Counts the tester's own failures and keeps the first, so one bad answer cannot end the run silently or loudly.</summary>
public sealed class ClientFaults
{
    private int count;

    public int Count => Volatile.Read(ref count);

    public string? First { get; private set; }

    public void Add(Exception e)
    {
        if (Interlocked.Increment(ref count) == 1)
        {
            First = $"{e.GetType().Name}: {e.Message}";
        }
    }
}

/// <summary>
/// One simulated client. <see cref="SetupAsync"/> signs it up and gets it ready; each <see cref="StepAsync"/> is one
/// unit of its scenario (a viewer's heartbeat, a contention device's racing operation, an auth user's sign-in). The
/// closed model waits for each step and then pauses <see cref="LoadTestOptions.BeatInterval"/>; the open model calls
/// steps at the target rate and skips a user whose previous step is still running, so a user never races itself.
/// </summary>
public abstract class VirtualUser(ScenarioContext context, Account account, Random random)
{
    private int busy;

    protected ScenarioContext Context { get; } = context;

    protected LearningClient Api => Context.Api;

    protected LoadTestOptions Options => Context.Options;

    protected Random Random { get; } = random;

    public Account Account { get; } = account;

    public abstract ScenarioKind Kind { get; }

    /// <summary>Where in the first beat interval the closed model starts this user, so users do not beat in lockstep.</summary>
    public double Phase { get; } = random.NextDouble();

    /// <summary>False when set-up failed (the user then takes no steps).</summary>
    public abstract Task<bool> SetupAsync();

    public abstract Task StepAsync();

    /// <summary>Set-up as the drivers call it: a fault counts and fails this user instead of the run.</summary>
    public async Task<bool> TrySetupAsync()
    {
        try
        {
            return await SetupAsync();
        }
        catch (Exception e)
        {
            Context.Faults.Add(e);
            return false;
        }
    }

    /// <summary>A step as the drivers call it: a fault counts instead of ending the user's loop.</summary>
    public async Task TryStepAsync()
    {
        try
        {
            await StepAsync();
        }
        catch (Exception e)
        {
            Context.Faults.Add(e);
        }
    }

    public bool TryEnter() => Interlocked.CompareExchange(ref busy, 1, 0) == 0;

    public void Exit() => Volatile.Write(ref busy, 0);

    protected Lesson PickLesson() => Context.Lessons[Random.Next(Context.Lessons.Count)];
}
