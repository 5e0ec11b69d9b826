import { api } from "../../app/api-client.ts";

export const acceptedImageTypes = ["image/png", "image/jpeg", "image/gif", "image/webp"];

/** Stores an image with the canvas and answers the URL to show it from. */
export async function uploadImage(canvasId: string, file: File): Promise<string> {
  if (!acceptedImageTypes.includes(file.type)) throw new Error("Only PNG, JPEG, GIF and WebP images can be added.");
  const form = new FormData();
  form.append("file", file);
  const { url } = await api.upload<{ id: string; url: string }>(`/api/canvases/${canvasId}/uploads`, form);
  return url;
}
