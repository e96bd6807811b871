using Learning.Api.Media;
using static Learning.UnitTests.Media.MediaBytes;

namespace Learning.UnitTests.Media;

public sealed class MediaDurationReaderTests
{
    private const uint Segment = 0x18538067, Info = 0x1549A966, TimecodeScale = 0x2AD7B1, Duration = 0x4489;
    private const uint Void = 0xEC, MuxingApp = 0x4D80, Cluster = 0x1F43B675, Tracks = 0x1654AE6B;

    private static double? Mp4(params byte[][] boxes) => MediaDurationReader.ReadSeconds(MediaFormat.Mp4, new MemoryStream(Concat(boxes)));

    private static double? WebM(params byte[][] elements) => MediaDurationReader.ReadSeconds(MediaFormat.WebM, new MemoryStream(Concat(elements)));

    [Fact]
    public void Mp4_duration_is_mvhd_duration_over_timescale() =>
        Assert.Equal(754.25, Mp4(Ftyp(), Box("moov", MvhdV0(1000, 754_250)), Box("mdat", new byte[64])));

    [Fact]
    public void Mp4_version_1_mvhd_has_64_bit_times() =>
        Assert.Equal(5_000_000_000.0 / 90_000, Mp4(Ftyp(), Box("moov", MvhdV1(90_000, 5_000_000_000))));

    [Fact]
    public void Mp4_moov_after_the_media_data_is_found_past_a_64_bit_sized_mdat() =>
        Assert.Equal(90.0, Mp4(Ftyp(), Box("free", new byte[10]), LargeBox("mdat", new byte[4096]), Box("moov", Box("trak"), MvhdV0(600, 54_000))));

    [Fact]
    public void Mp4_without_moov_states_no_duration() => Assert.Null(Mp4(Ftyp(), Box("mdat", new byte[128])));

    [Fact]
    public void Mp4_moov_without_mvhd_states_no_duration() => Assert.Null(Mp4(Ftyp(), Box("moov", Box("trak", new byte[20]))));

    [Fact]
    public void Mp4_all_ones_duration_means_unknown() => Assert.Null(Mp4(Ftyp(), Box("moov", MvhdV0(1000, uint.MaxValue))));

    [Fact]
    public void Mp4_zero_timescale_states_no_duration() => Assert.Null(Mp4(Ftyp(), Box("moov", MvhdV0(0, 1000))));

    [Fact]
    public void Mp4_box_claiming_more_than_the_file_states_no_duration()
    {
        var moov = Box("moov", MvhdV0(1000, 60_000));
        moov[3] += 50; // larger than what follows

        Assert.Null(Mp4(Ftyp(), moov));
    }

    [Fact]
    public void Mp4_truncated_mvhd_states_no_duration() => Assert.Null(Mp4(Ftyp(), Box("moov", Box("mvhd", new byte[10]))));

    [Fact]
    public void Mp4_zero_sized_box_is_refused_not_looped_on()
    {
        var empty = Box("free");
        empty[0] = empty[1] = empty[2] = 0;
        empty[3] = 4; // smaller than its own header

        Assert.Null(Mp4(Ftyp(), empty, Box("moov", MvhdV0(1000, 1000))));
    }

    [Fact]
    public void WebM_duration_is_info_duration_times_timecode_scale() =>
        Assert.Equal(125.5, WebM(EbmlHeader(), Element(Segment,
            Element(Void, new byte[12]),
            Element(Info, Element(TimecodeScale, [0x0F, 0x42, 0x40]), Element(MuxingApp, "a muxer with a long name"u8.ToArray()), Element(Duration, Float64(125_500))),
            Element(Tracks, new byte[30]))));

    [Fact]
    public void WebM_timecode_scale_defaults_to_a_millisecond_and_duration_may_be_a_32_bit_float() =>
        Assert.Equal(2.5, WebM(EbmlHeader(), Element(Segment, Element(Info, Element(Duration, Float32(2500f))))));

    [Fact]
    public void WebM_other_timecode_scales_apply() =>
        Assert.Equal(30.0, WebM(EbmlHeader(), Element(Segment, Element(Info, Element(Duration, Float64(3000)), Element(TimecodeScale, [0x98, 0x96, 0x80])))));

    [Fact]
    public void WebM_segment_of_unknown_size_is_read() =>
        Assert.Equal(1.0, WebM(EbmlHeader(), UnknownSizeElement(Segment, Element(Info, Element(Duration, Float64(1000))), UnknownSizeElement(Cluster, new byte[50]))));

    [Fact]
    public void WebM_without_duration_states_none() =>
        Assert.Null(WebM(EbmlHeader(), Element(Segment, Element(Info, Element(TimecodeScale, [0x0F, 0x42, 0x40])))));

    [Fact]
    public void WebM_info_behind_a_cluster_of_unknown_size_is_not_searched_for() =>
        Assert.Null(WebM(EbmlHeader(), UnknownSizeElement(Segment, UnknownSizeElement(Cluster, new byte[50]), Element(Info, Element(Duration, Float64(1000))))));

    [Fact]
    public void WebM_truncated_file_states_no_duration()
    {
        var whole = Concat(EbmlHeader(), Element(Segment, Element(Info, Element(Duration, Float64(1000)))));

        Assert.Null(MediaDurationReader.ReadSeconds(MediaFormat.WebM, new MemoryStream(whole[..^4])));
    }

    [Fact]
    public void WebM_negative_or_infinite_duration_states_none()
    {
        Assert.Null(WebM(EbmlHeader(), Element(Segment, Element(Info, Element(Duration, Float64(-5))))));
        Assert.Null(WebM(EbmlHeader(), Element(Segment, Element(Info, Element(Duration, Float64(double.PositiveInfinity))))));
    }

    [Fact]
    public void Bytes_of_the_other_container_state_no_duration()
    {
        Assert.Null(Mp4(EbmlHeader(), Element(Segment, Element(Info, Element(Duration, Float64(1000))))));
        Assert.Null(WebM(Ftyp(), Box("moov", MvhdV0(1000, 1000))));
    }
}
