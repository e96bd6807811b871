using System.Collections.Immutable;
using Learning.Devices;
using Learning.Playback;
using Microsoft.Extensions.Time.Testing;

namespace Learning.UnitTests.Playback;

public sealed class PlaybackRulesTests
{
    private static readonly PlaybackOptions Options = new();
    private static readonly LimitsOptions OneStream = new();
    private static readonly LimitsOptions TwoStreams = new() { MaxConcurrentStreams = 2 };
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero));

    private DateTimeOffset Now => _clock.GetUtcNow();

    [Fact]
    public void The_defaults_are_the_contracts_two_hour_lifetime_ninety_second_timeout_and_one_stream()
    {
        Assert.Equal(TimeSpan.FromHours(2), Options.SessionLifetime);
        Assert.Equal(TimeSpan.FromSeconds(90), Options.HeartbeatTimeout);
        Assert.Equal(TimeSpan.FromSeconds(15), Options.HeartbeatInterval);
        Assert.Equal(1000, Options.EndedSessionsKept);
        Assert.Equal(1, OneStream.MaxConcurrentStreams);
    }

    // --- IsLive ---

    [Fact]
    public void A_session_is_live_right_after_it_starts()
    {
        var session = Session(Device("phone"));

        Assert.True(PlaybackRules.IsLive(session, Now, Options));
    }

    [Fact]
    public void A_session_without_heartbeats_is_still_live_at_exactly_ninety_seconds_and_not_after()
    {
        var session = Session(Device("phone"));

        _clock.Advance(TimeSpan.FromSeconds(90));
        Assert.True(PlaybackRules.IsLive(session, Now, Options));

        _clock.Advance(TimeSpan.FromTicks(1));
        Assert.False(PlaybackRules.IsLive(session, Now, Options));
    }

    [Fact]
    public void A_heartbeat_restarts_the_ninety_second_timeout()
    {
        var session = Session(Device("phone"));
        _clock.Advance(TimeSpan.FromSeconds(60));
        session = PlaybackRules.Beat(session, 60, Now);

        _clock.Advance(TimeSpan.FromSeconds(90));
        Assert.True(PlaybackRules.IsLive(session, Now, Options));

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(PlaybackRules.IsLive(session, Now, Options));
    }

    [Fact]
    public void A_session_is_not_live_at_or_after_expires_at_even_with_fresh_heartbeats()
    {
        var session = Session(Device("phone"));
        Assert.Equal(Now + TimeSpan.FromHours(2), session.ExpiresAt);
        session = KeepBeating(session, beats: 479);

        _clock.Advance(session.ExpiresAt - Now - TimeSpan.FromTicks(1));
        Assert.True(PlaybackRules.IsLive(session, Now, Options));

        _clock.Advance(TimeSpan.FromTicks(1));
        Assert.False(PlaybackRules.IsLive(session, Now, Options));

        session = PlaybackRules.Beat(session, session.Position, Now);
        Assert.False(PlaybackRules.IsLive(session, Now, Options));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(PlaybackRules.IsLive(session, Now, Options));
    }

    [Fact]
    public void An_ended_session_is_not_live()
    {
        var session = PlaybackRules.Close(Session(Device("phone")), Now, "replaced");

        Assert.False(PlaybackRules.IsLive(session, Now, Options));
    }

    // --- Settle ---

    [Fact]
    public void Settle_ends_a_silent_session_as_stale_at_the_moment_it_stopped_being_live()
    {
        var session = Session(Device("phone"));
        _clock.Advance(TimeSpan.FromSeconds(30));
        session = PlaybackRules.Beat(session, 30, Now);
        var lastBeat = Now;

        _clock.Advance(TimeSpan.FromSeconds(90));
        Assert.Equal(session, Assert.Single(PlaybackRules.Settle([session], Now, Options)));

        _clock.Advance(TimeSpan.FromSeconds(1));
        var settled = Assert.Single(PlaybackRules.Settle([session], Now, Options));
        Assert.Equal("stale", settled.EndReason);
        Assert.Equal(lastBeat + TimeSpan.FromSeconds(90), settled.EndedAt);
        Assert.Equal(session.WatchTimeSeconds, settled.WatchTimeSeconds);
    }

    [Fact]
    public void Settle_ends_a_session_that_went_silent_long_before_its_expiry_as_stale_even_when_checked_after_it()
    {
        var session = Session(Device("phone"));
        var started = Now;

        _clock.Advance(TimeSpan.FromHours(3));
        var settled = Assert.Single(PlaybackRules.Settle([session], Now, Options));

        Assert.Equal("stale", settled.EndReason);
        Assert.Equal(started + TimeSpan.FromSeconds(90), settled.EndedAt);
    }

    [Fact]
    public void Settle_ends_a_session_past_its_lifetime_as_expired_at_expires_at()
    {
        var session = KeepBeating(Session(Device("phone")), beats: 479);

        _clock.Advance(TimeSpan.FromSeconds(30));
        var settled = Assert.Single(PlaybackRules.Settle([session], Now, Options));

        Assert.Equal("expired", settled.EndReason);
        Assert.Equal(session.ExpiresAt, settled.EndedAt);
    }

    [Fact]
    public void Settle_calls_a_session_expired_when_it_expires_at_the_same_moment_its_heartbeat_times_out()
    {
        var session = KeepBeating(Session(Device("phone")), beats: 474);
        Assert.Equal(session.ExpiresAt - TimeSpan.FromSeconds(90), session.LastHeartbeat);

        _clock.Advance(TimeSpan.FromSeconds(90) - TimeSpan.FromTicks(1));
        Assert.False(Assert.Single(PlaybackRules.Settle([session], Now, Options)).IsEnded);

        _clock.Advance(TimeSpan.FromTicks(1));
        var settled = Assert.Single(PlaybackRules.Settle([session], Now, Options));
        Assert.Equal("expired", settled.EndReason);
        Assert.Equal(session.ExpiresAt, settled.EndedAt);
    }

    [Fact]
    public void Settle_leaves_live_and_already_ended_sessions_as_they_are()
    {
        var replaced = PlaybackRules.Close(Session(Device("phone")), Now, "replaced");
        _clock.Advance(TimeSpan.FromHours(5));
        var live = Session(Device("laptop"));

        var settled = PlaybackRules.Settle([replaced, live], Now, Options);

        Assert.Equal(new[] { replaced, live }, settled);
    }

    [Fact]
    public void Settle_keeps_ended_sessions_in_the_list_until_they_are_retired()
    {
        var device = Device("phone");
        var ended = Enumerable.Range(0, 25).Select(_ => PlaybackRules.Close(Session(device), Now, "replaced")).ToList();
        var silent = Session(Device("laptop"));
        _clock.Advance(TimeSpan.FromMinutes(5));

        var settled = PlaybackRules.Settle([.. ended, silent], Now, Options);

        Assert.Equal(26, settled.Count);
        Assert.All(settled, s => Assert.True(s.IsEnded));
    }

    // --- LiveSessionWindow ---

    [Fact]
    public void The_live_window_binds_now_and_the_oldest_heartbeat_that_still_counts()
    {
        var window = LiveSessionWindow.At(Now, Options);

        Assert.Equal(Now, window.Now);
        Assert.Equal(Now - TimeSpan.FromSeconds(90), window.HeartbeatSince);
        Assert.True(window.IsLive(endedAt: null, expiresAt: Now + TimeSpan.FromTicks(1), lastHeartbeat: window.HeartbeatSince));
        Assert.False(window.IsLive(endedAt: null, expiresAt: Now, lastHeartbeat: Now));
        Assert.False(window.IsLive(endedAt: null, expiresAt: Now + TimeSpan.FromHours(1), lastHeartbeat: window.HeartbeatSince - TimeSpan.FromTicks(1)));
        Assert.False(window.IsLive(endedAt: Now, expiresAt: Now + TimeSpan.FromHours(1), lastHeartbeat: Now));
    }

    // --- Retire and tombstones ---

    [Fact]
    public void Retire_turns_delivered_ended_sessions_into_tombstones_and_keeps_live_and_undelivered_ones()
    {
        var phone = Device("phone");
        var delivered = PlaybackRules.Finish(KeepBeating(Session(phone), beats: 2, step: 15), 40, Now);
        var live = Session(phone);
        ImmutableList<PlaybackSession> published = [delivered, live];
        // Ended after the snapshot was taken: the read model has not seen its final state yet.
        var undelivered = PlaybackRules.Close(Session(Device("laptop")), Now, "taken_over");
        ImmutableList<PlaybackSession> sessions = [delivered, live, undelivered];

        var (kept, tombstones) = PlaybackRules.Retire(sessions, [], published, Now, Options);

        Assert.Equal([live, undelivered], kept);
        var tombstone = Assert.Single(tombstones);
        Assert.Equal(new SessionTombstone(delivered.Id, delivered.TokenHash, "ended", Now, delivered.WatchTimeSeconds), tombstone);
    }

    [Fact]
    public void Retire_forgets_tombstones_a_session_lifetime_after_their_session_ended()
    {
        var old = Tombstone(endedAt: Now);
        _clock.Advance(TimeSpan.FromMinutes(30));
        var recent = Tombstone(endedAt: Now);

        _clock.Advance(Options.SessionLifetime - TimeSpan.FromMinutes(30) - TimeSpan.FromTicks(1));
        Assert.Equal([old, recent], PlaybackRules.Retire([], [old, recent], [], Now, Options).Tombstones);

        _clock.Advance(TimeSpan.FromTicks(1));
        Assert.Equal([recent], PlaybackRules.Retire([], [old, recent], [], Now, Options).Tombstones);
    }

    [Fact]
    public void Retire_keeps_at_most_the_newest_thousand_tombstones()
    {
        var tombstones = new List<SessionTombstone>();
        for (var i = 0; i < 1005; i++)
        {
            tombstones.Add(Tombstone(endedAt: Now));
            _clock.Advance(TimeSpan.FromSeconds(1));
        }

        var kept = PlaybackRules.Retire([], [.. tombstones.AsEnumerable().Reverse()], [], Now, Options).Tombstones;

        Assert.Equal(1000, kept.Count);
        Assert.Equal(tombstones.Skip(5).ToHashSet(), kept.ToHashSet());
    }

    [Fact]
    public void Retire_leaves_state_untouched_when_nothing_is_due()
    {
        ImmutableList<PlaybackSession> sessions = [Session(Device("phone"))];
        ImmutableList<SessionTombstone> tombstones = [Tombstone(endedAt: Now)];

        var (kept, remembered) = PlaybackRules.Retire(sessions, tombstones, sessions, Now, Options);

        Assert.Same(sessions, kept);
        Assert.Same(tombstones, remembered);
    }

    [Fact]
    public void Thirty_replacements_leave_twenty_nine_tokens_that_still_answer_replaced()
    {
        var phone = Device("phone");
        ImmutableList<PlaybackSession> sessions = [];
        ImmutableList<SessionTombstone> tombstones = [];
        var issued = new List<PlaybackSession>();
        for (var i = 0; i < 30; i++)
        {
            var start = Assert.IsType<StartDecision.Start>(PlaybackRules.DecideStart(sessions, phone, takeover: false, Now, OneStream, Options));
            foreach (var (ending, reason) in start.Ending)
            {
                sessions = sessions.Replace(ending, PlaybackRules.Close(ending, Now, reason));
            }

            var started = Session(phone);
            issued.Add(started);
            sessions = sessions.Add(started);
            (sessions, tombstones) = PlaybackRules.Retire(sessions, tombstones, sessions, Now, Options);
            _clock.Advance(TimeSpan.FromMilliseconds(10));
        }

        var found = issued.Select(s => PlaybackRules.FindByToken(sessions, tombstones, s.TokenHash)).ToList();

        Assert.Equal(issued[^1], Assert.Single(sessions));
        Assert.Equal(issued[^1], found[^1].Open);
        Assert.All(found.Take(29), f => Assert.Equal("replaced", f.Ended?.Reason));
        Assert.Equal(29, tombstones.Count);
    }

    [Fact]
    public void A_token_is_found_open_ended_awaiting_delivery_as_a_tombstone_or_not_at_all()
    {
        var open = Session(Device("phone"));
        var ended = PlaybackRules.Close(Session(Device("phone")), Now, "device_revoked");
        var buried = Tombstone(endedAt: Now, reason: "stale");

        Assert.Equal((open, null), PlaybackRules.FindByToken([open, ended], [buried], open.TokenHash));
        Assert.Equal((null, SessionTombstone.Of(ended)), PlaybackRules.FindByToken([open, ended], [buried], ended.TokenHash));
        Assert.Equal((null, buried), PlaybackRules.FindByToken([open, ended], [buried], buried.TokenHash));
        Assert.Equal((null, buried), PlaybackRules.FindById([open, ended], [buried], buried.SessionId));
        Assert.Equal((null, null), PlaybackRules.FindByToken([open, ended], [buried], "unknown"));
    }

    // --- DecideStart ---

    [Fact]
    public void An_inactive_device_may_not_start()
    {
        var decision = PlaybackRules.DecideStart([], Device("phone", active: false), takeover: false, Now, OneStream, Options);

        Assert.Equal("device_not_active", Assert.IsType<StartDecision.Refused>(decision).Failure.Code);
    }

    [Fact]
    public void An_unknown_device_may_not_start_even_with_takeover()
    {
        var decision = PlaybackRules.DecideStart([Session(Device("laptop"))], null, takeover: true, Now, OneStream, Options);

        Assert.Equal("device_not_active", Assert.IsType<StartDecision.Refused>(decision).Failure.Code);
    }

    [Fact]
    public void A_live_session_on_another_device_refuses_a_start_with_session_exists_and_that_devices_name()
    {
        var laptop = Device("laptop", name: "Work laptop");
        var playing = Session(laptop);
        _clock.Advance(TimeSpan.FromSeconds(30));

        var decision = PlaybackRules.DecideStart([playing], Device("phone"), takeover: false, Now, OneStream, Options);

        var refused = Assert.IsType<StartDecision.Refused>(decision);
        Assert.Equal("session_exists", refused.Failure.Code);
        Assert.Equal("Work laptop", refused.Failure.ActiveDeviceName);
    }

    [Fact]
    public void Takeover_ends_the_other_devices_live_session_as_taken_over()
    {
        var playing = Session(Device("laptop"));
        _clock.Advance(TimeSpan.FromSeconds(30));

        var decision = PlaybackRules.DecideStart([playing], Device("phone"), takeover: true, Now, OneStream, Options);

        var (session, reason) = Assert.Single(Assert.IsType<StartDecision.Start>(decision).Ending);
        Assert.Equal(playing, session);
        Assert.Equal("taken_over", reason);
    }

    [Fact]
    public void Starting_again_from_the_device_that_already_plays_replaces_its_own_session_without_conflict()
    {
        var phone = Device("phone");
        var playing = Session(phone);
        _clock.Advance(TimeSpan.FromSeconds(30));

        var decision = PlaybackRules.DecideStart([playing], phone, takeover: false, Now, OneStream, Options);

        var (session, reason) = Assert.Single(Assert.IsType<StartDecision.Start>(decision).Ending);
        Assert.Equal(playing, session);
        Assert.Equal("replaced", reason);
    }

    [Fact]
    public void A_stale_session_on_another_device_blocks_nobody_and_is_not_taken_over()
    {
        var silent = Session(Device("laptop"));
        _clock.Advance(TimeSpan.FromSeconds(91));

        var plain = PlaybackRules.DecideStart([silent], Device("phone"), takeover: false, Now, OneStream, Options);
        var withTakeover = PlaybackRules.DecideStart([silent], Device("phone"), takeover: true, Now, OneStream, Options);

        Assert.Empty(Assert.IsType<StartDecision.Start>(plain).Ending);
        Assert.Empty(Assert.IsType<StartDecision.Start>(withTakeover).Ending);
    }

    [Fact]
    public void Expired_and_ended_sessions_on_another_device_block_nobody()
    {
        var laptop = Device("laptop");
        var expired = KeepBeating(Session(laptop), beats: 479);
        var ended = PlaybackRules.Close(Session(laptop), Now, "ended");
        _clock.Advance(TimeSpan.FromSeconds(15));
        Assert.True(Now >= expired.ExpiresAt);

        var decision = PlaybackRules.DecideStart([expired, ended], Device("phone"), takeover: false, Now, OneStream, Options);

        Assert.Empty(Assert.IsType<StartDecision.Start>(decision).Ending);
    }

    [Fact]
    public void With_two_streams_a_second_device_starts_without_conflict()
    {
        var playing = Session(Device("laptop"));
        _clock.Advance(TimeSpan.FromSeconds(30));

        var decision = PlaybackRules.DecideStart([playing], Device("phone"), takeover: false, Now, TwoStreams, Options);

        Assert.Empty(Assert.IsType<StartDecision.Start>(decision).Ending);
    }

    [Fact]
    public void With_two_streams_a_third_device_gets_session_exists()
    {
        var oldest = Session(Device("laptop", name: "Laptop"));
        _clock.Advance(TimeSpan.FromSeconds(30));
        var newer = Session(Device("tablet", name: "Tablet"));
        _clock.Advance(TimeSpan.FromSeconds(30));

        var decision = PlaybackRules.DecideStart([newer, oldest], Device("phone"), takeover: false, Now, TwoStreams, Options);

        var refused = Assert.IsType<StartDecision.Refused>(decision);
        Assert.Equal("session_exists", refused.Failure.Code);
        Assert.Contains(refused.Failure.ActiveDeviceName, new[] { "Laptop", "Tablet" });
    }

    [Fact]
    public void With_two_streams_takeover_from_a_third_device_ends_only_the_oldest_live_session()
    {
        var oldest = Session(Device("laptop"));
        _clock.Advance(TimeSpan.FromSeconds(30));
        var newer = Session(Device("tablet"));
        _clock.Advance(TimeSpan.FromSeconds(30));

        var decision = PlaybackRules.DecideStart([newer, oldest], Device("phone"), takeover: true, Now, TwoStreams, Options);

        var (session, reason) = Assert.Single(Assert.IsType<StartDecision.Start>(decision).Ending);
        Assert.Equal(oldest, session);
        Assert.Equal("taken_over", reason);
    }

    [Fact]
    public void With_two_streams_a_device_that_already_plays_replaces_its_own_session_and_ends_nothing_else()
    {
        var phone = Device("phone");
        var own = Session(phone);
        _clock.Advance(TimeSpan.FromSeconds(30));
        var other = Session(Device("tablet"));
        _clock.Advance(TimeSpan.FromSeconds(30));

        var decision = PlaybackRules.DecideStart([other, own], phone, takeover: false, Now, TwoStreams, Options);

        var (session, reason) = Assert.Single(Assert.IsType<StartDecision.Start>(decision).Ending);
        Assert.Equal(own, session);
        Assert.Equal("replaced", reason);
    }

    // --- Credit and Beat ---

    [Fact]
    public void Forward_movement_is_credited()
    {
        var session = Session(Device("phone"));

        _clock.Advance(Interval);
        session = PlaybackRules.Beat(session, 15, Now);
        Assert.Equal(15, session.WatchTimeSeconds);
        Assert.Equal(15, session.Position);
        Assert.Equal(Now, session.LastHeartbeat);

        _clock.Advance(Interval);
        session = PlaybackRules.Beat(session, 31.5, Now);
        Assert.Equal(31.5, session.WatchTimeSeconds);
    }

    [Fact]
    public void Seeking_ahead_credits_at_most_the_wall_clock_time_since_the_last_beat_plus_two_seconds()
    {
        var session = Session(Device("phone"));
        _clock.Advance(Interval);

        session = PlaybackRules.Beat(session, 600, Now);

        Assert.Equal(17, session.WatchTimeSeconds);
        Assert.Equal(600, session.Position);
    }

    [Fact]
    public void Sixty_fake_beats_in_three_point_two_seconds_credit_at_most_the_elapsed_time_plus_one_allowance()
    {
        var session = Session(Device("phone"), lessonSeconds: 3600);
        for (var i = 0; i < 60; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(3.2 / 60));
            session = PlaybackRules.Beat(session, session.Position + 2, Now);
        }

        Assert.Equal(120, session.Position);
        Assert.InRange(session.WatchTimeSeconds, 0, 3.2 + 2 + 1e-9);
    }

    [Fact]
    public void The_two_second_allowance_is_spent_once_per_session_not_per_beat()
    {
        var session = Session(Device("phone"), lessonSeconds: 3600);
        _clock.Advance(Interval);
        session = PlaybackRules.Beat(session, 600, Now);
        Assert.Equal(17, session.WatchTimeSeconds);

        _clock.Advance(Interval);
        session = PlaybackRules.Beat(session, 1200, Now);

        Assert.Equal(32, session.WatchTimeSeconds);
    }

    [Fact]
    public void A_pause_banks_no_allowance_for_fast_fake_beats_after_it()
    {
        // Paused for ten minutes: the client keeps beating with the position standing still.
        var session = KeepBeating(Session(Device("phone"), lessonSeconds: 3600), beats: 40);
        Assert.Equal(0, session.WatchTimeSeconds);

        for (var i = 0; i < 60; i++)
        {
            _clock.Advance(TimeSpan.FromMilliseconds(50));
            session = PlaybackRules.Beat(session, session.Position + 2, Now);
        }

        Assert.InRange(session.WatchTimeSeconds, 0, 3 + 2 + 1e-9);
    }

    [Fact]
    public void Normal_fifteen_second_beats_credit_fully_even_with_network_jitter()
    {
        var session = Session(Device("phone"), lessonSeconds: 3600);
        for (var i = 0; i < 200; i++)
        {
            // Requests arrive up to half a second early or late; the player moves 15 s between them.
            _clock.Advance(TimeSpan.FromSeconds(i % 2 == 0 ? 14.5 : 15.5));
            session = PlaybackRules.Beat(session, session.Position + 15, Now);
        }

        Assert.Equal(3000, session.WatchTimeSeconds);
    }

    [Fact]
    public void A_sessions_total_never_exceeds_the_wall_clock_time_since_its_start_plus_two_seconds()
    {
        var random = new Random(11);
        var session = Session(Device("phone"), lessonSeconds: 7200);
        for (var i = 0; i < 2000; i++)
        {
            _clock.Advance(TimeSpan.FromMilliseconds(random.Next(0, 20_000)));
            var position = random.Next(4) == 0 ? random.NextDouble() * 7200 : Math.Min(7200, session.Position + random.NextDouble() * 40);
            var before = session;
            session = PlaybackRules.Beat(session, position, Now);

            Assert.InRange(session.WatchTimeSeconds, 0, (Now - session.StartedAt).TotalSeconds + 2 + 1e-6);
            Assert.InRange(session.WatchTimeSeconds - before.WatchTimeSeconds, 0, (Now - before.LastHeartbeat).TotalSeconds + 2 + 1e-6);
        }
    }

    [Fact]
    public void Seeking_backwards_credits_nothing_and_later_movement_counts_from_the_new_position()
    {
        var session = KeepBeating(Session(Device("phone")), beats: 20, step: 15);
        Assert.Equal(300, session.WatchTimeSeconds);

        _clock.Advance(Interval);
        session = PlaybackRules.Beat(session, 100, Now);
        Assert.Equal(300, session.WatchTimeSeconds);
        Assert.Equal(100, session.Position);

        _clock.Advance(Interval);
        session = PlaybackRules.Beat(session, 115, Now);
        Assert.Equal(315, session.WatchTimeSeconds);
    }

    [Fact]
    public void The_credit_cap_without_elapsed_wall_clock_time_is_what_is_left_of_the_allowance()
    {
        var session = Session(Device("phone"));
        Assert.Equal(2, PlaybackRules.CreditCap(session, Now));

        session = PlaybackRules.Beat(session, 1.5, Now);
        Assert.Equal(0.5, PlaybackRules.CreditCap(session, Now), 9);

        // A clock that steps back (another silo) credits nothing it has not allowed already.
        Assert.Equal(0, PlaybackRules.CreditCap(session, Now - TimeSpan.FromSeconds(5)));
    }

    // --- Finish and Close ---

    [Fact]
    public void Finish_credits_the_last_movement_and_ends_the_session_as_ended()
    {
        var session = Session(Device("phone"));
        _clock.Advance(Interval);
        session = PlaybackRules.Beat(session, 15, Now);
        _clock.Advance(TimeSpan.FromSeconds(10));

        var finished = PlaybackRules.Finish(session, 25, Now);

        Assert.Equal(25, finished.WatchTimeSeconds);
        Assert.Equal(25, finished.Position);
        Assert.Equal(Now, finished.EndedAt);
        Assert.Equal("ended", finished.EndReason);
        Assert.False(PlaybackRules.IsLive(finished, Now, Options));
    }

    [Fact]
    public void Finish_caps_the_last_movement_like_a_heartbeat()
    {
        var session = Session(Device("phone"));
        _clock.Advance(TimeSpan.FromSeconds(10));

        var finished = PlaybackRules.Finish(session, 590, Now);

        Assert.Equal(12, finished.WatchTimeSeconds);
        Assert.Equal("ended", finished.EndReason);
    }

    [Fact]
    public void Close_ends_a_session_without_crediting_anything()
    {
        var session = Session(Device("phone"));
        _clock.Advance(Interval);
        session = PlaybackRules.Beat(session, 15, Now);
        _clock.Advance(TimeSpan.FromSeconds(10));

        var closed = PlaybackRules.Close(session, Now, "taken_over");

        Assert.Equal(15, closed.WatchTimeSeconds);
        Assert.Equal(15, closed.Position);
        Assert.Equal(Now, closed.EndedAt);
        Assert.Equal("taken_over", closed.EndReason);
    }

    [Fact]
    public void Close_does_not_overwrite_an_already_ended_session()
    {
        var replaced = PlaybackRules.Close(Session(Device("phone")), Now, "replaced");
        _clock.Advance(TimeSpan.FromMinutes(1));
        var finished = PlaybackRules.Finish(Session(Device("phone")), 10, Now);
        _clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(replaced, PlaybackRules.Close(replaced, Now, "device_revoked"));
        Assert.Equal(finished, PlaybackRules.Close(finished, Now, "device_transferred"));
    }

    // --- Positions and expiry ---

    [Theory]
    [InlineData(0, true)]
    [InlineData(300.5, true)]
    [InlineData(600, true)]
    [InlineData(610, true)]
    [InlineData(610.01, false)]
    [InlineData(-0.01, false)]
    [InlineData(double.NaN, false)]
    [InlineData(double.PositiveInfinity, false)]
    [InlineData(double.NegativeInfinity, false)]
    public void Positions_from_zero_to_the_lesson_length_plus_ten_seconds_tolerance_are_valid(double position, bool valid)
    {
        var session = Session(Device("phone"), lessonSeconds: 600);

        Assert.Equal(valid, PlaybackRules.IsValidPosition(position, session, Options));
    }

    [Fact]
    public void Expires_in_counts_down_whole_seconds_rounded_up_and_never_goes_negative()
    {
        var session = Session(Device("phone"));
        Assert.Equal(7200, PlaybackRules.ExpiresIn(session, Now));

        _clock.Advance(TimeSpan.FromSeconds(0.5));
        Assert.Equal(7200, PlaybackRules.ExpiresIn(session, Now));

        _clock.Advance(TimeSpan.FromSeconds(0.5));
        Assert.Equal(7199, PlaybackRules.ExpiresIn(session, Now));

        _clock.Advance(session.ExpiresAt - Now - TimeSpan.FromMilliseconds(100));
        Assert.Equal(1, PlaybackRules.ExpiresIn(session, Now));

        _clock.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(0, PlaybackRules.ExpiresIn(session, Now));

        _clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(0, PlaybackRules.ExpiresIn(session, Now));
    }

    private static SessionTombstone Tombstone(DateTimeOffset endedAt, string reason = "replaced") =>
        new(Guid.NewGuid(), Guid.NewGuid().ToString("N"), reason, endedAt, WatchTimeSeconds: 12);

    private Device Device(string deviceId, bool active = true, string? name = null) =>
        new(Id: Guid.NewGuid(), DeviceId: deviceId, DeviceName: name ?? $"{deviceId} name", Platform: Platform.Web,
            IsActive: active, CreatedAt: Now, LastAccessed: Now);

    private PlaybackSession Session(Device device, int lessonSeconds = 600) =>
        new(Id: Guid.NewGuid(), TokenHash: Guid.NewGuid().ToString("N"), DeviceRecordId: device.Id, DeviceId: device.DeviceId,
            DeviceName: device.DeviceName, LessonId: Guid.NewGuid(), LessonTitle: "Lesson", LessonSeconds: lessonSeconds,
            StartedAt: Now, ExpiresAt: Now + Options.SessionLifetime, LastHeartbeat: Now, Position: 0, WatchTimeSeconds: 0,
            EndedAt: null, EndReason: null);

    /// <summary>Beats every 15 s as a client does, moving the position by <paramref name="step"/> each time (0: paused).</summary>
    private PlaybackSession KeepBeating(PlaybackSession session, int beats, double step = 0)
    {
        for (var i = 0; i < beats; i++)
        {
            _clock.Advance(Interval);
            session = PlaybackRules.Beat(session, session.Position + step, Now);
        }

        return session;
    }
}
