using Learning.Api.Media;

namespace Learning.UnitTests.Media;

public sealed class MediaFormatTests
{
    [Theory]
    [InlineData("video/mp4", "video/mp4")]
    [InlineData("VIDEO/MP4; codecs=\"avc1.42E01E\"", "video/mp4")]
    [InlineData("video/webm", "video/webm")]
    public void Uploads_name_their_container_by_content_type(string contentType, string expected) =>
        Assert.Equal(expected, MediaFormat.OfContentType(contentType)?.ContentType);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("text/plain")]
    [InlineData("application/octet-stream")]
    [InlineData("video/quicktime")]
    public void Other_content_types_are_not_lesson_media(string? contentType) => Assert.Null(MediaFormat.OfContentType(contentType));

    [Fact]
    public void An_mp4_starts_with_an_ftyp_box()
    {
        Assert.True(MediaFormat.Mp4.Matches(MediaBytes.Ftyp().AsSpan(0, MediaFormat.SniffLength)));
        Assert.False(MediaFormat.Mp4.Matches("Hello, this is text"u8[..MediaFormat.SniffLength]));
        Assert.False(MediaFormat.Mp4.Matches("\0\0\0\u0018ftyX"u8));
    }

    [Fact]
    public void A_webm_starts_with_the_ebml_header_id()
    {
        Assert.True(MediaFormat.WebM.Matches(MediaBytes.EbmlHeader().AsSpan(0, MediaFormat.SniffLength)));
        Assert.False(MediaFormat.WebM.Matches(MediaBytes.Ftyp().AsSpan(0, MediaFormat.SniffLength)));
        Assert.False(MediaFormat.Mp4.Matches(MediaBytes.EbmlHeader().AsSpan(0, MediaFormat.SniffLength)));
    }

    [Theory]
    [InlineData("0a4e/9f.webm", "video/webm")]
    [InlineData("0a4e/9f.mp4", "video/mp4")]
    public void Stored_files_are_served_with_the_type_they_were_uploaded_as(string fileName, string contentType) =>
        Assert.Equal(contentType, MediaFormat.OfFileName(fileName).ContentType);
}
