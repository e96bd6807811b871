using System.Text.Json;
using Learning.LoadTest.Http;

namespace Learning.LoadTest.Scenarios;

/// <summary>Builds a run's virtual users and loads the catalog they watch.</summary>
public static class Population
{
    /// <summary>
    /// One seeded generator decides each user's scenario (in a mixed run) and seeds the user's own generator, so the
    /// same seed gives the same users making the same choices. <paramref name="runTag"/> keeps emails unique per run.
    /// </summary>
    public static IReadOnlyList<VirtualUser> Create(ScenarioContext context, string runTag)
    {
        var options = context.Options;
        var seeded = new Random(options.Seed);
        var users = new List<VirtualUser>(options.Users);
        Account? shared = null;
        var seatsTaken = 0;
        for (var i = 0; i < options.Users; i++)
        {
            var kind = options.Scenario == ScenarioKind.Mixed ? options.Mix.Pick(seeded) : options.Scenario;
            var random = new Random(seeded.Next());
            switch (kind)
            {
                case ScenarioKind.Viewers:
                    users.Add(new ViewerUser(context, NewAccount(runTag, "v", i), random, i));
                    break;
                case ScenarioKind.Auth:
                    users.Add(new AuthUser(context, NewAccount(runTag, "a", i), random));
                    break;
                default:
                    // Contention packs DevicesPerUser consecutive contention users onto one account.
                    if (shared is null || seatsTaken == options.DevicesPerUser)
                    {
                        (shared, seatsTaken) = (NewAccount(runTag, "c", i), 0);
                    }

                    seatsTaken++;
                    users.Add(new ContentionUser(context, shared, random, i));
                    break;
            }
        }

        return users;
    }

    private static Account NewAccount(string runTag, string prefix, int index) => new($"lt-{runTag}-{prefix}{index}@example.com");

    /// <summary>Every lesson of every course, the way a client finds them: GET /api/courses, then each course.</summary>
    public static async Task<IReadOnlyList<Lesson>> LoadLessons(LearningClient api)
    {
        var courses = await api.Courses();
        if (courses.Status != 200)
        {
            throw new InvalidOperationException($"GET /api/courses answered {courses.Status}; is the API at the given URL?");
        }

        var lessons = new List<Lesson>();
        foreach (var course in courses.Json.EnumerateArray())
        {
            var detail = await api.Course(course.GetProperty("id").GetString()!);
            if (detail.Status != 200)
            {
                throw new InvalidOperationException($"GET /api/courses/{{id}} answered {detail.Status}");
            }

            lessons.AddRange(detail.Json.GetProperty("lessons").EnumerateArray().Where(HasMedia).Select(lesson =>
                new Lesson(lesson.GetProperty("id").GetString()!, SafeLengthSeconds(lesson.GetProperty("duration_minutes").GetInt32()))));
        }

        return lessons.Count > 0 ? lessons : throw new InvalidOperationException("the catalog has no lesson with a video (has_media)");
    }

    /// <summary>A lesson without a video answers start with 404 media_unavailable; a server older than has_media plays every lesson.</summary>
    private static bool HasMedia(JsonElement lesson) => !lesson.TryGetProperty("has_media", out var hasMedia) || hasMedia.GetBoolean();

    /// <summary>
    /// The length positions may safely reach: an uploaded file's exact length bounds them, and the minutes the catalog
    /// shows are that length rounded up, so the file may be up to a minute shorter.
    /// </summary>
    private static double SafeLengthSeconds(int minutes) => Math.Max(0, minutes - 1) * 60;
}
