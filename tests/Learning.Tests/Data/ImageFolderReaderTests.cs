using Alrs.Learning.Data;
using Alrs.Tests.Shared;

namespace Alrs.Learning.Tests.Data;

public sealed class ImageFolderReaderTests : IDisposable
{
    readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Class_folders_in_name_order_are_the_labels_and_pixels_are_RGB_planes_in_0_1()
    {
        var folder = OwnDataSets.WriteShapes(_temp.File("shapes"), perClass: 4, size: 12);

        var samples = ImageFolderReader.Read(folder, new ImageFolderLayout());

        Assert.Equal(OwnDataSets.ShapeClasses, ImageFolderReader.ClassNames(folder));
        Assert.Equal((12, 3, 12, 12), (samples.Count, samples.Channels, samples.Height, samples.Width));
        Assert.Equal(new[] { 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2 }, samples.Labels);
        Assert.All(samples.Values, v => Assert.InRange(v, 0f, 1f));
        // The corner is the grey ground (128/255) in every channel, PNG and JPEG alike.
        for (var c = 0; c < 3; c++) Assert.Equal(128 / 255f, samples.Values[c * 144], 0.03f);
    }

    [Fact]
    public void Grey_and_resized_images_take_the_layout_s_shape()
    {
        var folder = OwnDataSets.WriteShapes(_temp.File("shapes"), perClass: 2, size: 20);

        var samples = ImageFolderReader.Read(folder, new ImageFolderLayout(Size: 8, Channels: 1));

        Assert.Equal((6, 1, 8, 8), (samples.Count, samples.Channels, samples.Height, samples.Width));
    }

    [Fact]
    public void An_empty_class_folder_is_named()
    {
        var folder = OwnDataSets.WriteShapes(_temp.File("shapes"), perClass: 2);
        var empty = Directory.CreateDirectory(Path.Combine(folder, "triangle")).FullName;
        File.WriteAllText(Path.Combine(empty, "notes.txt"), "no images here");

        var error = Assert.Throws<DatasetException>(() => ImageFolderReader.Read(folder, new ImageFolderLayout()));
        Assert.Equal($"{empty}: empty class folder: holds no PNG or JPEG image", error.Message);
    }

    [Fact]
    public void An_unreadable_image_is_named()
    {
        var folder = OwnDataSets.WriteShapes(_temp.File("shapes"), perClass: 2);
        var broken = Path.Combine(folder, "square", "broken.png");
        File.WriteAllBytes(broken, [0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);

        var error = Assert.Throws<DatasetException>(() => ImageFolderReader.Read(folder, new ImageFolderLayout()));
        Assert.Equal($"{broken}: unreadable image: not a PNG or JPEG that SkiaSharp can decode", error.Message);
    }

    [Fact]
    public void An_image_of_another_size_is_named_unless_every_image_is_resized()
    {
        var folder = OwnDataSets.WriteShapes(_temp.File("shapes"), perClass: 2, size: 16);
        var other = OwnDataSets.WriteShapes(_temp.File("other"), perClass: 1, size: 10);
        var odd = Path.Combine(folder, "square", "zz-odd.png");
        File.Copy(Path.Combine(other, "square", "square-000.png"), odd);

        var error = Assert.Throws<DatasetException>(() => ImageFolderReader.Read(folder, new ImageFolderLayout()));
        Assert.StartsWith($"{odd}: is 10x10 pixels, but {Path.Combine(folder, "circle", "circle-000.png")} is 16x16", error.Message);
        Assert.Equal(7, ImageFolderReader.Read(folder, new ImageFolderLayout(Size: 16)).Count);
    }

    [Fact]
    public void A_folder_without_class_folders_is_named()
    {
        var error = Assert.Throws<DatasetException>(() => ImageFolderReader.Read(_temp.Path, new ImageFolderLayout()));
        Assert.Equal($"{_temp.Path}: holds no class folders (expected one sub-folder of images per class)", error.Message);
    }
}
