"""Tiny random-weight diffusers pipelines built in code, tokenizers included: nothing comes from a hub.

Each builder returns a real pipeline of the class a family loads with, small enough to run on a CPU in
well under a second. Tokenizers are byte-level (every byte one token, no merges), which is all a
random text encoder needs. `bench/engines.py` uses `klein` too, to exercise the engine without a GPU.
"""

from __future__ import annotations

CHAT_TEMPLATE = ("{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}"
                 "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}")
QWEN_VISION_TOKENS = ("<|vision_start|>", "<|vision_end|>", "<|image_pad|>", "<|video_pad|>")


def _byte_chars() -> list[str]:
    from transformers.convert_slow_tokenizer import bytes_to_unicode

    return list(bytes_to_unicode().values())


def qwen_tokenizer(extra: tuple[str, ...] = ()):
    """A byte-level Qwen2 tokenizer with the chat tokens (and any extra special tokens)."""
    from transformers import Qwen2Tokenizer

    vocab = {c: i for i, c in enumerate(_byte_chars())}
    tok = Qwen2Tokenizer(vocab=vocab, merges=[], chat_template=CHAT_TEMPLATE)
    tok.add_special_tokens({"additional_special_tokens": ["<|im_start|>", "<|im_end|>", *extra]})
    return tok


def clip_tokenizer():
    """A byte-level CLIP tokenizer (each byte alone and as a word end), 77 tokens long."""
    from transformers import CLIPTokenizer

    chars = _byte_chars()
    vocab = {c: i for i, c in enumerate(chars)}
    vocab.update({c + "</w>": len(chars) + i for i, c in enumerate(chars)})
    vocab["<|startoftext|>"] = len(vocab)
    vocab["<|endoftext|>"] = len(vocab)
    return CLIPTokenizer(vocab=vocab, merges=[], model_max_length=77)


def t5_tokenizer():
    """A character-level T5 (unigram) tokenizer."""
    from transformers import T5Tokenizer

    pieces = [("<pad>", 0.0), ("</s>", 0.0), ("<unk>", 0.0), ("\u2581", -1.0)]
    pieces += [(c, -2.0) for c in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,;:'\"-!?()/#&"]
    return T5Tokenizer(vocab=pieces, extra_ids=0, model_max_length=512)


def klein(*, full_size: bool = False):
    """FLUX.2 klein: Flux2KleinPipeline. full_size builds the real 4B shapes (random weights, for a GPU bench)."""
    import torch
    from diffusers import AutoencoderKLFlux2, FlowMatchEulerDiscreteScheduler, Flux2KleinPipeline, Flux2Transformer2DModel
    from transformers import Qwen3Config, Qwen3ForCausalLM

    tok = qwen_tokenizer()
    torch.manual_seed(0)
    if full_size:
        transformer = Flux2Transformer2DModel(patch_size=1, in_channels=128, num_layers=5, num_single_layers=20,
                                              attention_head_dim=128, num_attention_heads=24, joint_attention_dim=7680,
                                              timestep_guidance_channels=256, mlp_ratio=3.0,
                                              axes_dims_rope=(32, 32, 32, 32), rope_theta=2000, guidance_embeds=False)
        encoder = Qwen3ForCausalLM(Qwen3Config(hidden_size=2560, intermediate_size=9728, num_hidden_layers=36,
                                               num_attention_heads=32, num_key_value_heads=8, head_dim=128,
                                               vocab_size=151936, max_position_embeddings=40960))
        vae = AutoencoderKLFlux2()
    else:
        transformer = Flux2Transformer2DModel(patch_size=1, in_channels=4, num_layers=1, num_single_layers=1,
                                              attention_head_dim=16, num_attention_heads=2, joint_attention_dim=48,
                                              timestep_guidance_channels=256, axes_dims_rope=(4, 4, 4, 4),
                                              guidance_embeds=False)
        # 28 layers (of width 16) so klein's default text layers (9, 18, 27) exist: the engine passes no
        # test-only arguments. joint_attention_dim = 3 layers x 16.
        encoder = Qwen3ForCausalLM(Qwen3Config(hidden_size=16, intermediate_size=16, num_hidden_layers=28,
                                               num_attention_heads=2, num_key_value_heads=2, head_dim=8,
                                               vocab_size=len(tok), max_position_embeddings=1024))
        vae = AutoencoderKLFlux2(sample_size=32, in_channels=3, out_channels=3, down_block_types=("DownEncoderBlock2D",),
                                 up_block_types=("UpDecoderBlock2D",), block_out_channels=(4,), layers_per_block=1,
                                 latent_channels=1, norm_num_groups=1, use_quant_conv=False, use_post_quant_conv=False)
    return Flux2KleinPipeline(scheduler=FlowMatchEulerDiscreteScheduler(), vae=vae, text_encoder=encoder,
                              tokenizer=tok, transformer=transformer, is_distilled=True)


def kontext():
    """FLUX.1 Kontext: FluxKontextPipeline with CLIP and T5 text encoders."""
    import torch
    from diffusers import AutoencoderKL, FlowMatchEulerDiscreteScheduler, FluxKontextPipeline, FluxTransformer2DModel
    from transformers import CLIPTextModel, T5Config, T5EncoderModel

    clip, t5 = clip_tokenizer(), t5_tokenizer()
    torch.manual_seed(0)
    transformer = FluxTransformer2DModel(patch_size=1, in_channels=4, num_layers=1, num_single_layers=1,
                                         attention_head_dim=16, num_attention_heads=2, joint_attention_dim=32,
                                         pooled_projection_dim=32, axes_dims_rope=(4, 4, 8))
    text_encoder = CLIPTextModel(_clip_config(clip))
    text_encoder_2 = T5EncoderModel(T5Config(vocab_size=len(t5), d_model=32, d_kv=8, d_ff=37, num_layers=2,
                                             num_heads=4, relative_attention_num_buckets=8))
    vae = AutoencoderKL(sample_size=32, in_channels=3, out_channels=3, block_out_channels=(4,), layers_per_block=1,
                        latent_channels=1, norm_num_groups=1, use_quant_conv=False, use_post_quant_conv=False,
                        shift_factor=0.0609, scaling_factor=1.5035)
    return FluxKontextPipeline(scheduler=FlowMatchEulerDiscreteScheduler(), vae=vae, text_encoder=text_encoder,
                               text_encoder_2=text_encoder_2, tokenizer=clip, tokenizer_2=t5, transformer=transformer)


def sdxl():
    """SDXL-Turbo as published: a StableDiffusionXLPipeline, which the engine loads for img2img."""
    import torch
    from diffusers import AutoencoderKL, EulerAncestralDiscreteScheduler, StableDiffusionXLPipeline, UNet2DConditionModel
    from transformers import CLIPTextModel, CLIPTextModelWithProjection

    clip = clip_tokenizer()
    torch.manual_seed(0)
    unet = UNet2DConditionModel(block_out_channels=(32, 64), layers_per_block=1, sample_size=32, in_channels=4,
                                out_channels=4, down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"),
                                up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"), attention_head_dim=(2, 4),
                                use_linear_projection=True, addition_embed_type="text_time",
                                addition_time_embed_dim=8, transformer_layers_per_block=(1, 1),
                                projection_class_embeddings_input_dim=80, cross_attention_dim=64, norm_num_groups=8)
    vae = AutoencoderKL(block_out_channels=(8, 8), in_channels=3, out_channels=3,
                        down_block_types=("DownEncoderBlock2D",) * 2, up_block_types=("UpDecoderBlock2D",) * 2,
                        latent_channels=4, sample_size=32, norm_num_groups=4)
    scheduler = EulerAncestralDiscreteScheduler(beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear",
                                                timestep_spacing="trailing")
    return StableDiffusionXLPipeline(vae=vae, text_encoder=CLIPTextModel(_clip_config(clip)),
                                     text_encoder_2=CLIPTextModelWithProjection(_clip_config(clip)),
                                     tokenizer=clip, tokenizer_2=clip_tokenizer(), unet=unet, scheduler=scheduler)


def qwen_edit():
    """Qwen-Image-Edit: QwenImageEditPipeline.

    Its Qwen2VLProcessor has a video half, which transformers builds and loads only with torchvision.
    Where torchvision is missing, call `qwen_without_video` first: the processor is then built, saved
    and loaded with its image processor (the PIL one) and its tokenizer alone.
    """
    import torch
    from diffusers import AutoencoderKLQwenImage, FlowMatchEulerDiscreteScheduler, QwenImageEditPipeline, QwenImageTransformer2DModel
    from transformers import Qwen2_5_VLConfig, Qwen2_5_VLForConditionalGeneration, Qwen2VLImageProcessorPil, Qwen2VLProcessor

    tok = qwen_tokenizer(QWEN_VISION_TOKENS)
    start, end, image, video = tok.convert_tokens_to_ids(list(QWEN_VISION_TOKENS))
    torch.manual_seed(0)
    transformer = QwenImageTransformer2DModel(patch_size=2, in_channels=16, out_channels=4, num_layers=1,
                                              attention_head_dim=16, num_attention_heads=2, joint_attention_dim=16,
                                              guidance_embeds=False, axes_dims_rope=(8, 4, 4))
    # Four 2x downsamplings: the pipeline always encodes the photo at about 1024x1024, which this keeps cheap.
    vae = AutoencoderKLQwenImage(base_dim=8, z_dim=4, dim_mult=[1, 1, 1, 1], num_res_blocks=1,
                                 temperal_downsample=[False, False, False], latents_mean=[0.0] * 4, latents_std=[1.0] * 4)
    config = Qwen2_5_VLConfig(
        text_config={"hidden_size": 16, "intermediate_size": 16, "num_hidden_layers": 2, "num_attention_heads": 2,
                     "num_key_value_heads": 2, "vocab_size": len(tok), "rope_theta": 1e6,
                     "rope_scaling": {"mrope_section": [1, 1, 2], "rope_type": "default", "type": "default"}},
        vision_config={"depth": 2, "hidden_size": 16, "intermediate_size": 16, "num_heads": 2, "out_hidden_size": 16},
        hidden_size=16, vocab_size=len(tok), vision_start_token_id=start, vision_end_token_id=end,
        image_token_id=image, video_token_id=video)
    # The PIL image processor needs no torchvision; it saves as "Qwen2VLImageProcessor", as the real model's
    # does, so loading picks the torchvision one where that works and this one elsewhere.
    parts = {"image_processor": Qwen2VLImageProcessorPil(min_pixels=56 * 56, max_pixels=112 * 112), "tokenizer": tok}
    if "video_processor" in Qwen2VLProcessor.get_attributes():
        from transformers import Qwen2VLVideoProcessor

        parts["video_processor"] = Qwen2VLVideoProcessor()
    processor = Qwen2VLProcessor(**parts, chat_template=CHAT_TEMPLATE)
    return QwenImageEditPipeline(scheduler=FlowMatchEulerDiscreteScheduler(), vae=vae,
                                 text_encoder=Qwen2_5_VLForConditionalGeneration(config), tokenizer=tok,
                                 processor=processor, transformer=transformer)


def torchvision_missing() -> bool:
    """True where torchvision is not installed. The test extra leaves it out: PyPI's x86_64 build is a CUDA
    one, which does not load beside the CPU torch that constraints.txt pins."""
    import importlib.util

    return importlib.util.find_spec("torchvision") is None


def torchvision_broken() -> str:
    """Why an installed torchvision does not load here; "" where it loads or is not installed."""
    if torchvision_missing():
        return ""
    try:
        import torchvision  # noqa: F401
    except Exception as exc:  # a build that does not match torch: "operator torchvision::nms does not exist"
        return f"torchvision is installed but does not load beside this torch ({type(exc).__name__}: {exc})"
    return ""


def qwen_without_video(monkeypatch) -> None:
    """Let Qwen2VLProcessor be built, saved and loaded without its video processor, for this test.

    Its attributes become the image processor and the tokenizer alone, as for a processor that has no video
    half, so `save_pretrained` writes no video config and `from_pretrained` loads none (loading one needs
    torchvision). QwenImageEditPipeline gives its processor a photo and text, never a video.
    """
    from transformers import Qwen2VLProcessor
    from transformers.processing_utils import ProcessorMixin

    attributes = ProcessorMixin.get_attributes.__func__
    monkeypatch.setattr(Qwen2VLProcessor, "get_attributes",
                        classmethod(lambda cls: [a for a in attributes(cls) if a != "video_processor"]))


def _clip_config(tok):
    from transformers import CLIPTextConfig

    return CLIPTextConfig(bos_token_id=len(tok) - 2, eos_token_id=len(tok) - 1, pad_token_id=len(tok) - 1,
                          hidden_size=32, intermediate_size=37, num_attention_heads=4, num_hidden_layers=2,
                          vocab_size=len(tok), projection_dim=32)


BUILDERS = {"klein-4b": klein, "kontext-dev": kontext, "sdxl-turbo": sdxl, "qwen-image-edit": qwen_edit}


def save(pipe, folder) -> str:
    """save_pretrained without the progress bars; returns the folder as a string."""
    pipe.save_pretrained(str(folder))
    return str(folder)
