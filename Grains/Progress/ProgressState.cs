using System.Collections.Immutable;

namespace Learning.Progress;

/// <summary>
/// The progress a user's grain holds (<c>UserState.Progress</c>): only lessons with an open session and records not yet
/// written to the progress store, so a learner with thousands of lessons in progress stores a handful here.
/// </summary>
[GenerateSerializer, Immutable, Alias("progress.state")]
public sealed record ProgressState
{
    /// <summary>
    /// A fresh instance every time, never a shared one (see <c>LoginThrottle.None</c>): reading stored state fills in
    /// the object <c>UserState.Progress</c> already holds, so a shared default would take one user's held progress and
    /// every user created afterwards in the process would start with it (and write it behind as their own).
    /// </summary>
    public static ProgressState None => new();

    [Id(0)] public ImmutableList<HeldProgress> Lessons { get; init; } = [];
}

/// <summary>A lesson's progress held by the grain; <see cref="Written"/> once the store has this revision.</summary>
[GenerateSerializer, Immutable, Alias("progress.held")]
public sealed record HeldProgress([property: Id(0)] LessonProgress Progress, [property: Id(1)] bool Written);
