using SkiaSharp;

namespace Alrs.Learning.Data;

/// <summary>
/// Reads an image folder: one sub-folder per class (classes numbered in ordinal order of the
/// folder names), each holding PNG or JPEG images (other files are ignored), decoded with
/// SkiaSharp into RGB or grey planes scaled to [0, 1]. An empty class folder, an image that does
/// not decode, or one of another size (unless <see cref="ImageFolderLayout.Size"/> resizes them
/// all) fails naming the folder or file.
/// </summary>
public static class ImageFolderReader
{
    static readonly string[] Extensions = [".png", ".jpg", ".jpeg"];

    /// <summary>The class folders' names of <paramref name="directory"/>, in label order.</summary>
    public static string[] ClassNames(string directory)
    {
        if (File.Exists(directory)) throw DatasetException.For(directory, "is a file; the image-folder format takes a folder with one sub-folder per class");
        if (!Directory.Exists(directory)) throw DatasetException.For(directory, "missing (expected a folder with one sub-folder of images per class)");
        var names = Directory.GetDirectories(directory).Select(Path.GetFileName).OfType<string>()
            .Where(n => !n.StartsWith('.')).Order(StringComparer.Ordinal).ToArray();
        return names.Length > 0 ? names : throw DatasetException.For(directory, "holds no class folders (expected one sub-folder of images per class)");
    }

    /// <summary>
    /// Reads the images of <paramref name="directory"/>. <paramref name="classNames"/> numbers the
    /// classes (a test folder uses the training folder's; it may lack some but not add any);
    /// <paramref name="shape"/> is the (height, width) every image must have when the layout keeps
    /// their own size (null: the first image's).
    /// </summary>
    public static LabelledSamples Read(string directory, ImageFolderLayout layout, IReadOnlyList<string>? classNames = null, (int Height, int Width)? shape = null)
    {
        var folders = ClassNames(directory);
        var names = classNames ?? folders;
        var values = new List<float[]>();
        var labels = new List<int>();
        string? shapeSource = null;
        if (layout.Size > 0) shape = (layout.Size, layout.Size);
        foreach (var folder in folders)
        {
            var label = IndexOf(names, folder);
            var classDirectory = Path.Combine(directory, folder);
            if (label < 0) throw DatasetException.For(classDirectory, $"is a class the training folder does not have (its classes: {string.Join(", ", names)})");
            var files = Directory.GetFiles(classDirectory)
                .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal).ToArray();
            if (files.Length == 0) throw DatasetException.For(classDirectory, "empty class folder: holds no PNG or JPEG image");
            foreach (var file in files)
            {
                using var bitmap = Decode(file);
                if (shape is null) (shape, shapeSource) = ((bitmap.Height, bitmap.Width), file);
                var (height, width) = shape.Value;
                if (layout.Size == 0 && (bitmap.Height != height || bitmap.Width != width))
                    throw DatasetException.For(file, $"is {bitmap.Width}x{bitmap.Height} pixels, but {shapeSource ?? "the training images"} is {width}x{height}; " +
                                                     "set alrs.env.own-data.image.size to resize every image to one size");
                values.Add(Planes(bitmap, height, width, layout.Channels));
                labels.Add(label);
            }
        }
        var (h, w) = shape!.Value;
        var perImage = layout.Channels * h * w;
        var all = new float[(long)values.Count * perImage];
        for (var i = 0; i < values.Count; i++) values[i].CopyTo(all, (long)i * perImage);
        return new LabelledSamples(values.Count, layout.Channels, h, w, all, [.. labels]);
    }

    static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++)
            if (string.Equals(names[i], name, StringComparison.Ordinal)) return i;
        return -1;
    }

    /// <summary>The image as straight (not premultiplied) 8-bit RGBA.</summary>
    static SKBitmap Decode(string file)
    {
        SKBitmap? bitmap = null;
        try
        {
            using var codec = SKCodec.Create(file);
            if (codec is not null)
                bitmap = SKBitmap.Decode(codec, new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw DatasetException.For(file, $"cannot be read: {e.Message}", e);
        }
        return bitmap is { Width: > 0, Height: > 0 } ? bitmap : throw DatasetException.For(file, "unreadable image: not a PNG or JPEG that SkiaSharp can decode");
    }

    /// <summary>(C, H, W) planes in [0, 1], resized to <paramref name="height"/> × <paramref name="width"/> first when it differs.</summary>
    static float[] Planes(SKBitmap bitmap, int height, int width, int channels)
    {
        using var resized = bitmap.Width == width && bitmap.Height == height
            ? null
            : bitmap.Resize(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul), SKFilterQuality.Medium);
        var source = resized ?? bitmap;
        var pixels = source.GetPixelSpan();
        var plane = height * width;
        var planes = new float[channels * plane];
        for (var y = 0; y < height; y++)
        {
            var row = pixels.Slice(y * source.RowBytes, width * 4);
            for (var x = 0; x < width; x++)
            {
                float r = row[4 * x], g = row[4 * x + 1], b = row[4 * x + 2];
                var p = y * width + x;
                if (channels == 1)
                {
                    // ITU-R BT.601 luma, as most image libraries convert to grey.
                    planes[p] = (0.299f * r + 0.587f * g + 0.114f * b) / 255f;
                }
                else
                {
                    planes[p] = r / 255f;
                    planes[plane + p] = g / 255f;
                    planes[2 * plane + p] = b / 255f;
                }
            }
        }
        return planes;
    }
}
