using Ign.Configuration;
using Ign.Imaging;

namespace Ign.Data;

/// <summary>The colour behind transparent pixels and in padding.</summary>
public enum Background { White, Black }

/// <summary>
/// How pictures of any size and format become a model's square images; the size itself comes from the model.
/// </summary>
public sealed record ImageFolderOptions
{
    [Knob("--fit", "--dataset folder: crop (the centre square: photos, CelebA), " +
                   "pad (the whole picture on the background) or stretch (distort)")]
    public FitMode Fit { get; init; } = FitMode.Crop;

    [Knob("--background", "--dataset folder: behind transparent pixels and padding (emoji are drawn for white pages)")]
    public Background Background { get; init; } = Background.White;

    public int Channels { get; init; } = 3;                           // 3: RGB; 1: BT.601 luma
    // keep the first this many readable pictures in path order; null: as many as one array holds
    public int? MaxImages { get; init; }

    /// <summary>The part of a cache file's name that tells option sets apart, e.g. "64-crop-white-rgb".</summary>
    public string Key(int size) => $"{size}-{Fit}-{Background}-{(Channels == 3 ? "rgb" : "grey")}".ToLowerInvariant();

    public void Validate(int size)
    {
        if (size is < 4 or > 1024)
            throw new ArgumentException($"image size must be between 4 and 1024 pixels, got {size}");
        if (Channels is not (1 or 3)) throw new ArgumentException($"channels must be 1 or 3, got {Channels}");
        if (MaxImages is < 1) throw new ArgumentException("the image limit must be positive");
        if (!Enum.IsDefined(Fit) || !Enum.IsDefined(Background))
            throw new ArgumentException("unknown fit or background");
    }
}
